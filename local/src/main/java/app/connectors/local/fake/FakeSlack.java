package app.connectors.local.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fake Slack: {@code /oauth/v2/authorize} (scope incoming-webhook), {@code /api/oauth.v2.access}
 * (errors as HTTP 200 {@code {"ok": false, "error": …}}, as Slack does), and the Incoming Webhook
 * receiver {@code /services/…} for the URLs it hands out (https://hooks.slack.com/…, which
 * ENDPOINT_OVERRIDES sends here).
 */
public final class FakeSlack extends FakeProvider {

    private final AtomicInteger hooks = new AtomicInteger();

    public FakeSlack(String clientId, String clientSecret) {
        super(clientId, clientSecret);
    }

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public List<String> hosts() {
        return List.of("slack.com", "hooks.slack.com");
    }

    @Override
    protected boolean route(HttpExchange exchange, String method, String path) throws IOException {
        if (path.equals("/oauth/v2/authorize")) {
            authorize(exchange, method, "incoming-webhook", false);
        } else if (path.equals("/api/oauth.v2.access") && method.equals("POST")) {
            token(exchange);
        } else if (path.startsWith("/services/") && method.equals("POST")) {
            record(exchange, body(exchange));
            text(exchange, 200, "ok");
        } else {
            return false;
        }
        return true;
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(exchange);
        Grant grant = redeem(exchange, form, exchange.getRequestHeaders().getFirst("Authorization"),
                (ex, status, error, description) -> json(ex, status == 0 ? 200 : status,
                        JSON.createObjectNode().put("ok", false).put("error", error.equals("invalid_grant") ? "invalid_code" : error)));
        if (grant == null) {
            return;
        }
        int n = hooks.incrementAndGet();
        ObjectNode answer = JSON.createObjectNode().put("ok", true).put("access_token", "xoxb-fake-" + randomToken())
                .put("token_type", "bot").put("scope", grant.scope());
        answer.putObject("team").put("id", "TFAKE").put("name", "Fake workspace");
        answer.putObject("incoming_webhook")
                .put("channel", "#fake-channel-" + n)
                .put("channel_id", "CFAKE" + n)
                .put("configuration_url", "https://fake.slack.com/services/B" + n)
                .put("url", webhookUrl("https://hooks.slack.com/services/TFAKE/BFAKE" + n + "/" + randomToken()));
        json(exchange, 200, answer);
    }
}
