package app.connectors.net;

/**
 * Sends one delivery request and reports what happened, never throwing for network trouble.
 * Implementations are thread-safe and meant to be built once per execution environment.
 *
 * <pre>{@code
 * HttpSender sender = new GuardedHttpSender(DefaultSsrfGuard.strict(HostResolver.system()), SenderConfig.production());
 * SendResult result = sender.send(OutboundRequest.postJson(uri, body));
 * }</pre>
 */
@FunctionalInterface
public interface HttpSender {

    SendResult send(OutboundRequest request);
}
