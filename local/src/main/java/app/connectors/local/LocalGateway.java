package app.connectors.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An API Gateway (REST, Lambda proxy) emulation on a local port: routes, authorizer, authorizer
 * cache and gateway responses come from template.yaml; handlers run in-process.
 *
 * <p>Requests API Gateway refuses itself are refused here the same way, before any function runs:
 * an unknown route or method is 403 "Missing Authentication Token"; request headers beyond
 * {@value #MAX_HEADER_BYTES} bytes are 431 (beyond the JDK server's own limit of about 384 KB the
 * connection is closed); a path with a control character (an encoded CR or LF) is 400; a body over
 * 10 MB is 413.
 *
 * <p>Where it differs from API Gateway, on purpose: routes are served at the root
 * ({@code /api/v1/...}, like {@code sam local start-api}), not under the stage name; header names
 * reach handlers in the JDK server's normalised case, in case-insensitive maps; a response without
 * a body gets no default Content-Type.
 *
 * <pre>{@code
 * try (LocalGateway gateway = LocalGateway.start(3000, template, functions, Clock.systemUTC())) {
 *     System.out.println(gateway.url());
 * }
 * }</pre>
 */
public final class LocalGateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalGateway.class);
    /** API Gateway's limit on the request line and headers together (REST API quota: 10,240 bytes). */
    static final int MAX_HEADER_BYTES = 10_240;
    /** API Gateway's payload limit; the handlers enforce the API's own, smaller one. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    /** How much of an oversized body is read and discarded before answering 413 (beyond it, the connection just closes). */
    static final long MAX_DRAIN_BYTES = 64L * 1024 * 1024;
    private static final String INTERNAL_ERROR = "{\"message\": \"Internal server error\"}";
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** API Gateway's own defaults for the gateway responses the emulation produces. */
    private static final Map<String, TemplateModel.GatewayResponse> DEFAULT_RESPONSES = Map.of(
            "UNAUTHORIZED", new TemplateModel.GatewayResponse("UNAUTHORIZED", 401, Map.of(), "{\"message\":\"Unauthorized\"}"),
            "ACCESS_DENIED", new TemplateModel.GatewayResponse("ACCESS_DENIED", 403, Map.of(),
                    "{\"Message\":\"User is not authorized to access this resource with an explicit deny\"}"),
            "AUTHORIZER_FAILURE", new TemplateModel.GatewayResponse("AUTHORIZER_FAILURE", 500, Map.of(), "{\"message\":null}"),
            "AUTHORIZER_CONFIGURATION_ERROR", new TemplateModel.GatewayResponse("AUTHORIZER_CONFIGURATION_ERROR", 500,
                    Map.of(), "{\"message\":null}"),
            "REQUEST_TOO_LARGE", new TemplateModel.GatewayResponse("REQUEST_TOO_LARGE", 413, Map.of(),
                    "{\"message\":\"Request Too Long\"}"),
            "MISSING_AUTHENTICATION_TOKEN", new TemplateModel.GatewayResponse("MISSING_AUTHENTICATION_TOKEN", 403, Map.of(),
                    "{\"message\":\"Missing Authentication Token\"}"),
            "BAD_REQUEST_PARAMETERS", new TemplateModel.GatewayResponse("BAD_REQUEST_PARAMETERS", 400, Map.of(),
                    "{\"message\":\"Invalid request path: it contains a control character (such as an encoded CR or LF)\"}"),
            "REQUEST_HEADERS_TOO_LARGE", new TemplateModel.GatewayResponse("REQUEST_HEADERS_TOO_LARGE", 431, Map.of(),
                    "{\"message\":\"Request Header Fields Too Large\"}"));

    private final HttpServer server;
    private final ExecutorService pool;
    private final RouteTable routes;
    private final TemplateModel.Api api;
    private final Map<String, LocalFunction> functions;
    private final AuthorizerCache authorizerCache;
    private final Clock clock;

    private LocalGateway(HttpServer server, ExecutorService pool, TemplateModel template,
            Map<String, LocalFunction> functions, Clock clock) {
        this.server = server;
        this.pool = pool;
        this.routes = new RouteTable(template.routes());
        this.api = template.api().orElse(new TemplateModel.Api("none", "local", null, Map.of(), Map.of(), List.of()));
        this.functions = Map.copyOf(functions);
        this.clock = clock;
        this.authorizerCache = new AuthorizerCache(clock);
        for (TemplateModel.Route route : template.routes()) {
            requireFunction(route.functionLogicalId());
            if (route.authorizer() != null) {
                requireFunction(api.authorizers().get(route.authorizer()).functionLogicalId());
            }
        }
    }

    /**
     * Starts the gateway on localhost.
     *
     * @param port      the port (0: a free one)
     * @param functions every function the routes and the authorizer name, by logical id
     * @param clock     time for the authorizer cache (tests move it forward)
     */
    public static LocalGateway start(int port, TemplateModel template, Map<String, LocalFunction> functions, Clock clock) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on localhost:" + port + " (in use? choose another with --port)", e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "gateway-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        LocalGateway gateway = new LocalGateway(server, pool, template, functions, clock);
        server.createContext("/", gateway::handle);
        server.setExecutor(pool);
        server.start();
        return gateway;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI url() {
        return URI.create("http://localhost:" + port());
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------ requests

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getPath();
        Reply reply;
        String target = "-";
        try {
            Optional<String> refusal = refusal(exchange, path);
            if (refusal.isPresent()) {
                reply = gatewayResponse(refusal.get());
            } else {
                // Routed on the raw path, whose segments RouteTable decodes once each, as API Gateway does:
                // routing the decoded path would decode twice (%252F would bind as "/").
                reply = switch (routes.match(method, exchange.getRequestURI().getRawPath())) {
                    case RouteTable.NotFound notFound -> gatewayResponse("MISSING_AUTHENTICATION_TOKEN");
                    case RouteTable.MethodNotAllowed notAllowed -> gatewayResponse("MISSING_AUTHENTICATION_TOKEN");
                    case RouteTable.Found found -> {
                        target = found.route().functionLogicalId();
                        yield route(exchange, found, requestId);
                    }
                };
            }
        } catch (RuntimeException | Error e) {
            LOG.error("{} {}: the local gateway failed", method, path, e);
            reply = new Reply(500, headers("Content-Type", "application/json"), INTERNAL_ERROR.getBytes(StandardCharsets.UTF_8));
        }
        write(exchange, reply, requestId);
        LOG.info("{} {} -> {} {} ({} ms)", method, path, reply.status(), target, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The gateway response type for a request API Gateway refuses before routing it: headers over
     * its limit, or a control character in the decoded path (a CR/LF there could end up in a header
     * a handler writes, such as Location). Empty when the request may be routed.
     */
    private static Optional<String> refusal(HttpExchange exchange, String path) {
        long headerBytes = exchange.getRequestMethod().length() + exchange.getRequestURI().toString().length()
                + exchange.getProtocol().length() + 4;
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            for (String value : header.getValue()) {
                headerBytes += header.getKey().length() + value.length() + 4;
            }
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            drain(exchange);
            return Optional.of("REQUEST_HEADERS_TOO_LARGE");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                drain(exchange);
                return Optional.of("BAD_REQUEST_PARAMETERS");
            }
        }
        return Optional.empty();
    }

    /** Reads and discards a refused request's body, so the client gets the answer instead of a reset. */
    private static void drain(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            long drained = 0;
            byte[] sink = new byte[64 * 1024];
            for (int n; drained < MAX_DRAIN_BYTES && (n = in.read(sink)) > 0; ) {
                drained += n;
            }
        } catch (IOException e) {
            LOG.debug("could not drain a refused request: {}", e.toString());
        }
    }

    private Reply route(HttpExchange exchange, RouteTable.Found found, String requestId) {
        TemplateModel.Route route = found.route();
        Headers requestHeaders = exchange.getRequestHeaders();
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, List<String>> multiValueHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        requestHeaders.forEach((name, values) -> {
            // API Gateway's single-value map keeps the last value of a repeated header.
            headers.put(name, values.getLast());
            multiValueHeaders.put(name, List.copyOf(values));
        });
        Map<String, List<String>> multiValueQuery = query(exchange.getRequestURI().getRawQuery());
        Map<String, String> query = null;
        if (multiValueQuery != null) {
            query = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> entry : multiValueQuery.entrySet()) {
                query.put(entry.getKey(), entry.getValue().getLast());
            }
        }
        Map<String, String> pathParameters = found.pathParameters().isEmpty() ? null : found.pathParameters();
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();

        Map<String, Object> authorizerContext = null;
        if (route.authorizer() != null) {
            TemplateModel.Authorizer authorizer = api.authorizers().get(route.authorizer());
            AuthorizerOutcome outcome = authorize(authorizer, exchange, route, headers, query, pathParameters, sourceIp, requestId);
            if (outcome.reply() != null) {
                return outcome.reply();
            }
            authorizerContext = outcome.decision().requestContextAuthorizer();
        }

        byte[] body;
        try {
            body = readBody(exchange);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the request body", e);
        }
        if (body == null) {
            return gatewayResponse("REQUEST_TOO_LARGE");
        }

        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
        event.setResource(route.path());
        event.setPath(exchange.getRequestURI().getPath());
        event.setHttpMethod(route.method().equals("ANY") ? exchange.getRequestMethod().toUpperCase(Locale.ROOT) : route.method());
        event.setHeaders(headers.isEmpty() ? null : headers);
        event.setMultiValueHeaders(multiValueHeaders.isEmpty() ? null : multiValueHeaders);
        event.setQueryStringParameters(query);
        event.setMultiValueQueryStringParameters(multiValueQuery);
        event.setPathParameters(pathParameters);
        if (body.length > 0) {
            boolean binary = isBinary(headers.get("Content-Type"));
            event.setBody(binary ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8));
            event.setIsBase64Encoded(binary);
        } else {
            event.setIsBase64Encoded(false);
        }
        Instant now = clock.instant();
        APIGatewayProxyRequestEvent.RequestIdentity identity = new APIGatewayProxyRequestEvent.RequestIdentity();
        identity.setSourceIp(sourceIp);
        identity.setUserAgent(headers.get("User-Agent"));
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAccountId(LocalEnvironment.ACCOUNT_ID);
        context.setApiId("local");
        context.setStage(api.stageName());
        context.setRequestId(requestId);
        context.setExtendedRequestId(requestId);
        context.setResourceId("local");
        context.setResourcePath(route.path());
        context.setHttpMethod(event.getHttpMethod());
        context.setPath("/" + api.stageName() + event.getPath());
        context.setProtocol(exchange.getProtocol());
        context.setDomainName("localhost");
        context.setRequestTimeEpoch(now.toEpochMilli());
        context.setRequestTime(REQUEST_TIME.format(now));
        context.setIdentity(identity);
        context.setAuthorizer(authorizerContext);
        event.setRequestContext(context);

        LocalFunction function = functions.get(route.functionLogicalId());
        Object result;
        try {
            result = function.invoke(event);
        } catch (RuntimeException | Error e) {
            LOG.error("{} threw; API Gateway answers 502", function.logicalId(), e);
            return new Reply(502, headers("Content-Type", "application/json"), INTERNAL_ERROR.getBytes(StandardCharsets.UTF_8));
        }
        return proxyReply(function.logicalId(), result);
    }

    private record AuthorizerOutcome(AuthorizerDecision decision, Reply reply) {
    }

    private AuthorizerOutcome authorize(TemplateModel.Authorizer authorizer, HttpExchange exchange, TemplateModel.Route route,
            Map<String, String> headers, Map<String, String> query, Map<String, String> pathParameters,
            String sourceIp, String requestId) {
        List<String> identityValues = new ArrayList<>();
        for (String header : authorizer.identityHeaders()) {
            String value = headers.get(header);
            if (value == null || value.isBlank()) {
                // API Gateway answers 401 without calling the authorizer when an identity source is missing.
                return new AuthorizerOutcome(null, gatewayResponse("UNAUTHORIZED"));
            }
            identityValues.add(value);
        }
        String methodArn = "arn:aws:execute-api:" + LocalEnvironment.REGION + ":" + LocalEnvironment.ACCOUNT_ID + ":local/"
                + api.stageName() + "/" + exchange.getRequestMethod().toUpperCase(Locale.ROOT) + exchange.getRequestURI().getPath();
        String cacheKey = authorizer.name() + "\n" + String.join("\n", identityValues);
        Optional<AuthorizerDecision> cached = authorizerCache.get(cacheKey);
        AuthorizerDecision decision;
        if (cached.isPresent()) {
            decision = cached.get();
        } else {
            LocalFunction function = functions.get(authorizer.functionLogicalId());
            APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
            event.setType(authorizer.payloadType());
            event.setMethodArn(methodArn);
            if ("TOKEN".equals(authorizer.payloadType())) {
                event.setAuthorizationToken(identityValues.getFirst());
            } else {
                event.setResource(route.path());
                event.setPath(exchange.getRequestURI().getPath());
                event.setHttpMethod(exchange.getRequestMethod().toUpperCase(Locale.ROOT));
                event.setHeaders(headers);
                event.setQueryStringParameters(query);
                event.setPathParameters(pathParameters);
                APIGatewayCustomAuthorizerEvent.Identity identity = new APIGatewayCustomAuthorizerEvent.Identity();
                identity.setSourceIp(sourceIp);
                APIGatewayCustomAuthorizerEvent.RequestContext context = new APIGatewayCustomAuthorizerEvent.RequestContext();
                context.setAccountId(LocalEnvironment.ACCOUNT_ID);
                context.setApiId("local");
                context.setStage(api.stageName());
                context.setRequestId(requestId);
                context.setResourceId("local");
                context.setResourcePath(route.path());
                context.setHttpMethod(event.getHttpMethod());
                context.setPath("/" + api.stageName() + event.getPath());
                context.setIdentity(identity);
                event.setRequestContext(context);
            }
            try {
                decision = AuthorizerDecision.from(function.invoke(event));
            } catch (AuthorizerDecision.MalformedException e) {
                LOG.error("{}: {}", function.logicalId(), e.getMessage());
                return new AuthorizerOutcome(null, gatewayResponse("AUTHORIZER_CONFIGURATION_ERROR"));
            } catch (RuntimeException | Error e) {
                if ("Unauthorized".equals(e.getMessage())) {
                    return new AuthorizerOutcome(null, gatewayResponse("UNAUTHORIZED"));
                }
                LOG.error("{} failed; API Gateway answers 500 AUTHORIZER_FAILURE", function.logicalId(), e);
                return new AuthorizerOutcome(null, gatewayResponse("AUTHORIZER_FAILURE"));
            }
            authorizerCache.put(cacheKey, decision, authorizer.ttlSeconds());
        }
        // A cached policy is checked against this request's method ARN, as on AWS: a policy that
        // names only the first route denies the others until it expires.
        if (!decision.allows(methodArn)) {
            return new AuthorizerOutcome(null, gatewayResponse("ACCESS_DENIED"));
        }
        return new AuthorizerOutcome(decision, null);
    }

    private Reply proxyReply(String functionId, Object result) {
        JsonNode response = result == null ? null : LambdaJson.MAPPER.valueToTree(result);
        JsonNode status = response == null ? null : child(response, "statusCode");
        if (status == null || !status.canConvertToInt() || status.asInt() < 100 || status.asInt() > 599) {
            LOG.error("{} returned a malformed proxy response (no valid statusCode); API Gateway answers 502: {}",
                    functionId, response);
            return new Reply(502, headers("Content-Type", "application/json"), INTERNAL_ERROR.getBytes(StandardCharsets.UTF_8));
        }
        Map<String, List<String>> replyHeaders = new LinkedHashMap<>();
        JsonNode multi = child(response, "multiValueHeaders");
        if (multi != null && multi.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = multi.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                List<String> values = new ArrayList<>();
                field.getValue().forEach(value -> values.add(value.asText()));
                replyHeaders.put(field.getKey(), values);
            }
        }
        JsonNode single = child(response, "headers");
        if (single != null && single.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = single.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                replyHeaders.put(field.getKey(), List.of(field.getValue().asText()));
            }
        }
        JsonNode bodyNode = child(response, "body");
        String body = bodyNode == null || bodyNode.isNull() ? "" : bodyNode.asText();
        if (!body.isEmpty() && replyHeaders.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            replyHeaders.put("Content-Type", List.of("application/json")); // API Gateway's default
        }
        JsonNode base64 = child(response, "isBase64Encoded");
        byte[] bytes = base64 != null && base64.asBoolean()
                ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        return new Reply(status.asInt(), replyHeaders, bytes);
    }

    private Reply gatewayResponse(String type) {
        TemplateModel.GatewayResponse builtIn = DEFAULT_RESPONSES.get(type);
        int defaultStatus = builtIn.statusCode();
        // The template's own entry wins, then its DEFAULT_4XX / DEFAULT_5XX, then API Gateway's default.
        TemplateModel.GatewayResponse configured = api.gatewayResponses().get(type);
        if (configured == null) {
            configured = api.gatewayResponses().get(defaultStatus >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX");
        }
        int status = configured != null && configured.statusCode() != null ? configured.statusCode() : defaultStatus;
        String body = configured != null && configured.body() != null ? configured.body() : builtIn.body();
        Map<String, List<String>> replyHeaders = new LinkedHashMap<>();
        replyHeaders.put("Content-Type", List.of("application/json"));
        replyHeaders.put("x-amzn-ErrorType", List.of(switch (type) {
            case "UNAUTHORIZED" -> "UnauthorizedException";
            case "ACCESS_DENIED" -> "AccessDeniedException";
            case "MISSING_AUTHENTICATION_TOKEN" -> "MissingAuthenticationTokenException";
            case "BAD_REQUEST_PARAMETERS" -> "BadRequestException";
            default -> type;
        }));
        if (configured != null) {
            configured.headers().forEach((name, value) -> {
                replyHeaders.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
                replyHeaders.put(name, List.of(value));
            });
        }
        return new Reply(status, replyHeaders, body.getBytes(StandardCharsets.UTF_8));
    }

    private record Reply(int status, Map<String, List<String>> headers, byte[] body) {
    }

    private static void write(HttpExchange exchange, Reply reply, String requestId) {
        try (exchange) {
            Headers responseHeaders = exchange.getResponseHeaders();
            reply.headers().forEach((name, values) -> values.forEach(value -> responseHeaders.add(name, value)));
            responseHeaders.set("x-amzn-RequestId", requestId);
            boolean noBody = reply.body().length == 0 || reply.status() == 204 || reply.status() == 304
                    || "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
            exchange.sendResponseHeaders(reply.status(), noBody ? -1 : reply.body().length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        } catch (IOException e) {
            // The client went away; nothing left to answer.
            LOG.debug("could not write the response: {}", e.toString());
        }
    }

    /**
     * The body, or null when it exceeds API Gateway's 10 MB limit. An oversized body is still read
     * (and discarded, up to {@link #MAX_DRAIN_BYTES}): closing a connection with unread request bytes
     * makes the kernel reset it, and the client would see the reset instead of the 413.
     */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length <= MAX_BODY_BYTES) {
                return body;
            }
            long drained = 0;
            byte[] sink = new byte[64 * 1024];
            for (int n; drained < MAX_DRAIN_BYTES && (n = in.read(sink)) > 0; ) {
                drained += n;
            }
            return null;
        }
    }

    /** With BinaryMediaTypes configured, matching bodies reach the handler base64-encoded; all else is text. */
    private boolean isBinary(String contentType) {
        if (contentType == null || api.binaryMediaTypes().isEmpty()) {
            return false;
        }
        String mediaType = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        for (String binary : api.binaryMediaTypes()) {
            String pattern = binary.toLowerCase(Locale.ROOT);
            if (pattern.equals("*/*") || pattern.equals(mediaType)
                    || (pattern.endsWith("/*") && mediaType.startsWith(pattern.substring(0, pattern.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    /** Query parameters in order, every value kept; null when the request has none (as API Gateway sends). */
    private static Map<String, List<String>> query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return parameters.isEmpty() ? null : parameters;
    }

    private static Map<String, List<String>> headers(String name, String value) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put(name, List.of(value));
        return headers;
    }

    private static JsonNode child(JsonNode node, String name) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String candidate = names.next();
            if (candidate.equalsIgnoreCase(name)) {
                return node.get(candidate);
            }
        }
        return null;
    }

    private void requireFunction(String logicalId) {
        if (!functions.containsKey(logicalId)) {
            throw new IllegalArgumentException("the template routes to " + logicalId + ", which the gateway was not given");
        }
    }
}
