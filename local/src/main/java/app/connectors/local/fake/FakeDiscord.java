package app.connectors.local.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fake Discord: {@code /oauth2/authorize} (response_type=code, scope webhook.incoming),
 * {@code /api/oauth2/token} (client credentials as HTTP Basic; the answer's {@code webhook} is the
 * channel's webhook), and the webhook receiver {@code /api/webhooks/{id}/{token}} (204, or 200 with
 * the message for {@code ?wait=true}).
 */
public final class FakeDiscord extends FakeProvider {

    private final AtomicLong ids = new AtomicLong(112233445566778800L);

    public FakeDiscord(String clientId, String clientSecret) {
        super(clientId, clientSecret);
    }

    @Override
    public String name() {
        return "discord";
    }

    @Override
    public List<String> hosts() {
        return List.of("discord.com");
    }

    @Override
    protected boolean route(HttpExchange exchange, String method, String path) throws IOException {
        if (path.equals("/oauth2/authorize")) {
            authorize(exchange, method, "webhook.incoming", true);
        } else if (path.equals("/api/oauth2/token") && method.equals("POST")) {
            token(exchange);
        } else if (path.startsWith("/api/webhooks/") && method.equals("POST")) {
            record(exchange, body(exchange));
            if ("true".equals(query(exchange).get("wait"))) {
                json(exchange, 200, JSON.createObjectNode().put("id", Long.toString(ids.incrementAndGet())).put("type", 0));
            } else {
                text(exchange, 204, "");
            }
        } else {
            return false;
        }
        return true;
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(exchange);
        if (!"authorization_code".equals(form.get("grant_type"))) {
            json(exchange, 400, JSON.createObjectNode().put("error", "unsupported_grant_type"));
            return;
        }
        Grant grant = redeem(exchange, form, exchange.getRequestHeaders().getFirst("Authorization"),
                (ex, status, error, description) -> json(ex, status == 0 ? 400 : status,
                        JSON.createObjectNode().put("error", error).put("error_description", description)));
        if (grant == null) {
            return;
        }
        String id = Long.toString(ids.incrementAndGet());
        String token = randomToken();
        ObjectNode answer = JSON.createObjectNode().put("access_token", "fake-" + randomToken()).put("token_type", "Bearer")
                .put("expires_in", 604800).put("refresh_token", "fake-" + randomToken()).put("scope", grant.scope());
        answer.putObject("webhook").put("id", id).put("token", token).put("name", "Connectors")
                .put("channel_id", "99887766554433" + (Long.parseLong(id) % 100)).put("guild_id", "11223344556677")
                .put("url", webhookUrl("https://discord.com/api/webhooks/" + id + "/" + token));
        json(exchange, 200, answer);
    }
}
