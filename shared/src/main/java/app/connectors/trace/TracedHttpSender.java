package app.connectors.trace;

import app.connectors.net.FetchRequest;
import app.connectors.net.FetchResult;
import app.connectors.net.GuardedHttpSender;
import app.connectors.net.HttpFetcher;
import app.connectors.net.HttpSender;
import app.connectors.net.OutboundRequest;
import app.connectors.net.SendResult;
import java.net.URI;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Outbound HTTP as {@code remote} subsegments of the current trace: deliveries ({@link #send}) and the
 * product's own calls ({@link #fetch}: OAuth token exchanges, a user's Windmill), each named after the
 * destination's host, with the method, the HTTP status (or the failure's kind) and the annotations in
 * force ({@code connector_type} on the delivery path). The URL's path and query, the headers and the
 * body are never recorded: a webhook URL keeps its secret in the path, an API key rides in a header,
 * a token exchange carries the client secret in its body.
 *
 * <pre>{@code
 * TracedHttpSender sender = TracedHttpSender.around(new GuardedHttpSender(guard, config), Tracer.fromEnvironment(env));
 * }</pre>
 */
public final class TracedHttpSender implements HttpSender, HttpFetcher {

    /** X-Ray's longest subsegment name. */
    private static final int MAX_NAME = 200;

    private final HttpSender sender;
    private final HttpFetcher fetcher;
    private final Tracer tracer;

    public TracedHttpSender(HttpSender sender, HttpFetcher fetcher, Tracer tracer) {
        this.sender = sender;
        this.fetcher = fetcher;
        this.tracer = tracer;
    }

    /** Both roles of the guarded client, traced. */
    public static TracedHttpSender around(GuardedHttpSender guarded, Tracer tracer) {
        return new TracedHttpSender(guarded, guarded, tracer);
    }

    @Override
    public SendResult send(OutboundRequest request) {
        return traced(request.uri(), request.method().name(), () -> sender.send(request), (call, result) -> {
            switch (result) {
                case SendResult.Response response -> call.status(response.status());
                case SendResult.Failure failure -> call.failed(failure.kind().name(), false);
            }
        });
    }

    @Override
    public FetchResult fetch(FetchRequest request) {
        return traced(request.uri(), request.method(), () -> fetcher.fetch(request), (call, result) -> {
            switch (result) {
                case FetchResult.Answer answer -> call.status(answer.status());
                case FetchResult.Unreachable unreachable -> call.failed(unreachable.kind().name(), false);
            }
        });
    }

    private <T> T traced(URI uri, String method, Supplier<T> exchange, BiConsumer<Subsegment, T> outcome) {
        if (!tracer.recording()) {
            return exchange.get();
        }
        Subsegment call = tracer.begin(name(uri), Subsegment.Namespace.REMOTE).method(method);
        T result;
        try {
            result = exchange.get();
        } catch (RuntimeException e) {
            call.failed(e.getClass().getSimpleName(), false).end();
            throw e;
        }
        outcome.accept(call, result);
        call.end();
        return result;
    }

    private static String name(URI uri) {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return "unknown-host";
        }
        return host.length() > MAX_NAME ? host.substring(0, MAX_NAME) : host;
    }
}
