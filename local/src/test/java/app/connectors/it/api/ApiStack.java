package app.connectors.it.api;

import app.connectors.testing.MutableClock;
import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.functions.ConnectorsHandler;
import app.connectors.functions.DeliveriesHandler;
import app.connectors.json.Json;
import app.connectors.local.LocalStack;
import app.connectors.local.LocalStackOptions;
import app.connectors.local.TemplateModel;
import app.connectors.testing.StubResolver;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The local stack as the API tests use it: the real template, DynamoDB Local in memory, no pollers,
 * a gateway whose authorizer cache runs on {@link MutableClock}, and the connector and delivery
 * handlers built with a {@link StubResolver} (this machine resolves no public name). Requests go
 * either straight to a handler ({@link #call}: the event API Gateway would pass, with the
 * authorizer's context) or over HTTP through the gateway ({@link #http}).
 *
 * <pre>{@code
 * ApiStack api = ApiStack.start();
 * Account alice = api.createUser("alice", "pro");
 * ApiResponse created = api.call(alice, "POST", "/api/v1/connectors", ApiStack.slackBody("Eng", "secret"));
 * }</pre>
 */
final class ApiStack implements AutoCloseable {

    /** What the stub resolver answers for the platforms' hosts: public-looking, never contacted. */
    static final String PUBLIC_ADDRESS = "93.184.216.34";

    private static final AtomicInteger USERS = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final StubResolver dns = new StubResolver()
            .answer("hooks.slack.com", PUBLIC_ADDRESS)
            .answer("discord.com", PUBLIC_ADDRESS)
            .answer("hooks.zapier.com", PUBLIC_ADDRESS)
            .answer("hooks.example.com", PUBLIC_ADDRESS);
    final MutableClock clock = new MutableClock();
    private final LocalStack stack;
    private final List<CompiledRoute> routes;

    /** A user of the host platform and the first token AccountsFunction issued for it. */
    record Account(String userId, String tier, String token) {
    }

    private record CompiledRoute(TemplateModel.Route route, Pattern pattern, List<String> names) {
    }

    private ApiStack(UnaryOperator<LocalStackOptions> adjust) {
        LocalStackOptions options = LocalStackOptions.forTests(Path.of("../template.yaml"))
                .withPollers(false)
                .withClock(clock)
                .withHandler("ConnectorsFunction", env -> new ConnectorsHandler(components(env)))
                .withHandler("DeliveriesFunction", env -> new DeliveriesHandler(components(env)));
        this.stack = LocalStack.start(adjust.apply(options));
        this.routes = stack.template().routes().stream()
                // Literal routes first (connectors/types before connectors/{uuid}), as API Gateway matches.
                .sorted(Comparator.comparingLong((TemplateModel.Route r) -> r.path().chars().filter(c -> c == '{').count()))
                .map(ApiStack::compile)
                .toList();
    }

    static ApiStack start() {
        return new ApiStack(UnaryOperator.identity());
    }

    /** With more options, e.g. an allowed target for a local fake destination. */
    static ApiStack start(UnaryOperator<LocalStackOptions> adjust) {
        return new ApiStack(adjust);
    }

    private Components components(Map<String, String> environment) {
        return new Components(Settings.from(environment), dns, Clock.systemUTC());
    }

    LocalStack local() {
        return stack;
    }

    // ------------------------------------------------------------------ users

    /** A user id nobody else in this JVM uses. */
    static String uniqueUserId(String label) {
        return label + "-" + USERS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a user on a plan through AccountsFunction, as the host platform does. */
    Account createUser(String label, String tier) {
        String userId = uniqueUserId(label);
        Map<String, Object> result = upsert(userId, tier);
        if (!Boolean.TRUE.equals(result.get("ok")) || result.get("token") == null) {
            throw new IllegalStateException("AccountsFunction did not create " + userId + ": " + result);
        }
        return new Account(userId, tier, (String) result.get("token"));
    }

    /** Invokes AccountsFunction directly (it has no route), like {@code bin/local invoke}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> upsert(String userId, String tier) {
        Map<String, Object> input = new HashMap<>();
        input.put("userId", userId);
        input.put("tier", tier);
        return (Map<String, Object>) stack.function("AccountsFunction").invoke(input);
    }

    Map<String, AttributeValue> userItem(String userId) {
        return stack.dynamoDb().getItem(r -> r.tableName(table("USERS_TABLE"))
                .key(Map.of("userId", AttributeValue.fromS(userId))).consistentRead(true)).item();
    }

    int storedConnectorCount(String userId) {
        return Integer.parseInt(userItem(userId).get("connectorCount").n());
    }

    Map<String, AttributeValue> connectorItem(String userId, String connectorId) {
        return stack.dynamoDb().getItem(r -> r.tableName(table("CONNECTORS_TABLE"))
                .key(Map.of("userId", AttributeValue.fromS(userId), "connectorId", AttributeValue.fromS(connectorId)))
                .consistentRead(true)).item();
    }

    /** A table's local name, as template.yaml wires it into ConnectorsFunction. */
    String table(String variable) {
        return stack.environmentOf("ConnectorsFunction").get(variable);
    }

    // ------------------------------------------------------------------ straight to the handler

    ApiResponse call(Account caller, String method, String pathAndQuery) {
        return call(caller, method, pathAndQuery, null);
    }

    /**
     * Invokes the function that template.yaml routes {@code method path} to, with the event API
     * Gateway would pass after the authorizer allowed {@code caller}.
     */
    ApiResponse call(Account caller, String method, String pathAndQuery, String body) {
        URI uri = URI.create(pathAndQuery);
        String path = uri.getRawPath();
        for (CompiledRoute compiled : routes) {
            Matcher matcher = compiled.pattern().matcher(path);
            if (!compiled.route().method().equals(method) || !matcher.matches()) {
                continue;
            }
            APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                    .withHttpMethod(method)
                    .withResource(compiled.route().path())
                    .withPath(path)
                    .withHeaders(Map.of("Content-Type", "application/json"))
                    .withBody(body)
                    .withIsBase64Encoded(false);
            if (!compiled.names().isEmpty()) {
                Map<String, String> parameters = new LinkedHashMap<>();
                for (int i = 0; i < compiled.names().size(); i++) {
                    parameters.put(compiled.names().get(i), URLDecoder.decode(matcher.group(i + 1), StandardCharsets.UTF_8));
                }
                event.setPathParameters(parameters);
            }
            if (uri.getRawQuery() != null) {
                Map<String, String> query = new LinkedHashMap<>();
                for (String pair : uri.getRawQuery().split("&")) {
                    String[] parts = pair.split("=", 2);
                    query.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                            parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
                }
                event.setQueryStringParameters(query);
            }
            APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
            context.setRequestId(UUID.randomUUID().toString());
            context.setAuthorizer(Map.of("userId", caller.userId(), "tier", caller.tier(), "tokenId", "test"));
            event.setRequestContext(context);
            var response = (APIGatewayProxyResponseEvent) stack.function(compiled.route().functionLogicalId()).invoke(event);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            if (response.getHeaders() != null) {
                response.getHeaders().forEach((name, value) -> headers.put(name, List.of(value)));
            }
            return new ApiResponse(response.getStatusCode(), headers, response.getBody());
        }
        throw new IllegalArgumentException("template.yaml has no route " + method + " " + path);
    }

    private static CompiledRoute compile(TemplateModel.Route route) {
        List<String> names = new java.util.ArrayList<>();
        Matcher parameter = Pattern.compile("\\{([^}]+)}").matcher(route.path());
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(route.path().substring(last, parameter.start()))).append("([^/]+)");
            names.add(parameter.group(1));
            last = parameter.end();
        }
        regex.append(Pattern.quote(route.path().substring(last)));
        return new CompiledRoute(route, Pattern.compile(regex.toString()), names);
    }

    // ------------------------------------------------------------------ over HTTP

    /** A request through the local gateway; {@code token} may be null (no Authorization header). */
    ApiResponse http(String token, String method, String pathAndQuery, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(stack.gatewayUrl().resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new ApiResponse(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(method + " " + pathAndQuery + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ------------------------------------------------------------------ bodies

    /** The seed's Slack connector, with a webhook URL whose secret part is {@code secret}. */
    static String slackBody(String name, String secret) {
        ObjectNode body = Json.object().put("type", "slack").put("name", name);
        body.putObject("config").put("webhook_url", slackUrl(secret));
        body.putArray("events").add("promise.status_changed");
        body.putObject("filters").putArray("categories").add("tech-product");
        return Json.write(body);
    }

    static String slackUrl(String secret) {
        return "https://hooks.slack.com/services/T00000000/B00000000/" + secret;
    }

    /** A generic connector to {@code url} with POST. */
    static String genericBody(String name, String url) {
        ObjectNode body = Json.object().put("type", "generic").put("name", name);
        body.putObject("config").put("url", url).put("method", "POST");
        body.putArray("events").add("promise.created");
        return Json.write(body);
    }

    @Override
    public void close() {
        stack.close();
    }
}
