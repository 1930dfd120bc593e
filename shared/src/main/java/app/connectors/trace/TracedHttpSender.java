package app.connectors.trace;

import app.connectors.net.HttpSender;
import app.connectors.net.OutboundRequest;
import app.connectors.net.SendResult;

/**
 * An {@link HttpSender} whose sends are {@code remote} subsegments of the current trace, named after
 * the destination's host, with the method, the HTTP status (or the failure's kind) and the annotations
 * in force ({@code connector_type} on the delivery path). The URL's path and query, the headers and
 * the body are never recorded: a webhook URL keeps its secret in the path, an API key rides in a header.
 *
 * <pre>{@code
 * HttpSender sender = new TracedHttpSender(new GuardedHttpSender(guard, config), Tracer.fromEnvironment(env));
 * }</pre>
 */
public final class TracedHttpSender implements HttpSender {

    /** X-Ray's longest subsegment name. */
    private static final int MAX_NAME = 200;

    private final HttpSender delegate;
    private final Tracer tracer;

    public TracedHttpSender(HttpSender delegate, Tracer tracer) {
        this.delegate = delegate;
        this.tracer = tracer;
    }

    @Override
    public SendResult send(OutboundRequest request) {
        Subsegment send = tracer.begin(name(request), Subsegment.Namespace.REMOTE);
        if (!send.recorded()) {
            return delegate.send(request);
        }
        send.method(request.method().name());
        SendResult result;
        try {
            result = delegate.send(request);
        } catch (RuntimeException e) {
            send.failed(e.getClass().getSimpleName(), false).end();
            throw e;
        }
        switch (result) {
            case SendResult.Response response -> send.status(response.status());
            case SendResult.Failure failure -> send.failed(failure.kind().name(), false);
        }
        send.end();
        return result;
    }

    private static String name(OutboundRequest request) {
        String host = request.uri().getHost();
        if (host == null || host.isEmpty()) {
            return "unknown-host";
        }
        return host.length() > MAX_NAME ? host.substring(0, MAX_NAME) : host;
    }
}
