package app.connectors.local.fake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * Fake Windmill (Cloud's API at app.windmill.dev): workspace {@code demo} with the script
 * {@code u/demo/notify} and the flow {@code f/demo/onboarding}; any token but {@code wm-bad} is
 * accepted. Its webhooks ({@code /api/w/<ws>/jobs/run|run_wait_result/p|f/<path>}) record what they get.
 */
public final class FakeWindmill extends FakeProvider {

    public static final String REFUSED_TOKEN = "wm-bad";

    public FakeWindmill() {
        super("windmill", "none");
    }

    @Override
    public String name() {
        return "windmill";
    }

    @Override
    public List<String> hosts() {
        return List.of("app.windmill.dev");
    }

    @Override
    protected boolean route(HttpExchange exchange, String method, String path) throws IOException {
        if (path.startsWith("/api/w/") && path.contains("/jobs/") && method.equals("POST")) {
            webhook(exchange, path);
            return true;
        }
        if (!method.equals("GET") || !path.startsWith("/api/")) {
            return false;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.substring(7).isBlank()
                || authorization.substring(7).equals(REFUSED_TOKEN)) {
            text(exchange, 401, "Unauthorized: invalid token");
            return true;
        }
        switch (path) {
            case "/api/workspaces/list" -> {
                ArrayNode list = JSON.createArrayNode();
                list.addObject().put("id", "demo").put("name", "Demo workspace").put("owner", "demo@example.com");
                json(exchange, 200, list);
            }
            case "/api/w/demo/scripts/list" -> {
                ArrayNode list = JSON.createArrayNode();
                list.addObject().put("path", "u/demo/notify").put("summary", "Notify the team").put("hash", "a1b2c3d4e5f6");
                json(exchange, 200, list);
            }
            case "/api/w/demo/flows/list" -> {
                ArrayNode list = JSON.createArrayNode();
                list.addObject().put("path", "f/demo/onboarding").put("summary", "Onboarding");
                json(exchange, 200, list);
            }
            default -> text(exchange, 404, "Not found: " + path);
        }
        return true;
    }

    private void webhook(HttpExchange exchange, String path) throws IOException {
        String token = query(exchange).get("token");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if ((token == null || token.isBlank()) && authorization == null) {
            text(exchange, 401, "Unauthorized: a webhook needs a token");
            return;
        }
        record(exchange, body(exchange));
        if (path.contains("/jobs/run_wait_result/")) {
            json(exchange, 200, JSON.createObjectNode().put("ok", true));
        } else {
            text(exchange, 201, UUID.randomUUID().toString());
        }
    }
}
