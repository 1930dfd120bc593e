package app.connectors.functions.portal;

import app.connectors.auth.Principal;
import app.connectors.functions.api.ProblemResponses;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@code /portal/api/v1/<path>}: the API's own routes, served in-process by the API's own handlers,
 * as the session's user. The request becomes the event API Gateway would have passed for
 * {@code /api/v1/<path>} after the authorizer allowed that user, so the portal runs exactly the
 * API's validation, limits and error mapping, and answers the same bodies.
 *
 * <p>{@link #ROUTES} lists the API routes the portal exposes; a test holds it to template.yaml.
 * Token routes are left out on purpose: a browser session must not mint lasting credentials.
 *
 * <pre>{@code
 * PortalApi api = new PortalApi(Map.of("ConnectorsFunction", () -> new ConnectorsHandler(components)));
 * APIGatewayProxyResponseEvent r = api.dispatch(event, "connectors", principal, context);
 * }</pre>
 */
public final class PortalApi {

    /** The API routes the portal exposes: method, the template.yaml resource, the function that serves it. */
    public record Route(String method, String resource, String function) {
        private List<String> segments() {
            return Arrays.stream(resource.split("/")).filter(s -> !s.isEmpty()).toList();
        }
    }

    public static final List<Route> ROUTES = List.of(
            new Route("GET", "/api/v1/connectors/types", "CatalogFunction"),
            new Route("GET", "/api/v1/event-types", "CatalogFunction"),
            new Route("GET", "/api/v1/connectors", "ConnectorsFunction"),
            new Route("POST", "/api/v1/connectors", "ConnectorsFunction"),
            new Route("GET", "/api/v1/connectors/{uuid}", "ConnectorsFunction"),
            new Route("PUT", "/api/v1/connectors/{uuid}", "ConnectorsFunction"),
            new Route("PATCH", "/api/v1/connectors/{uuid}", "ConnectorsFunction"),
            new Route("DELETE", "/api/v1/connectors/{uuid}", "ConnectorsFunction"),
            new Route("POST", "/api/v1/connectors/{uuid}/signing-secret", "ConnectorsFunction"),
            new Route("GET", "/api/v1/connectors/{uuid}/deliveries", "DeliveriesFunction"),
            new Route("POST", "/api/v1/connectors/{uuid}/deliveries/{id}/retry", "DeliveriesFunction"),
            new Route("POST", "/api/v1/connectors/{uuid}/test", "DeliveriesFunction"),
            new Route("POST", "/api/v1/transformations/test", "TransformationsFunction"),
            new Route("POST", "/api/v1/filters/test", "TransformationsFunction"),
            new Route("GET", "/api/v1/connector-templates", "TemplatesFunction"),
            new Route("GET", "/api/v1/connector-templates/{id}", "TemplatesFunction"));

    /** API routes the portal does not expose, and why (the test that holds ROUTES to template.yaml reads this). */
    public static final Map<String, String> EXCLUDED = Map.of(
            "/api/v1/tokens", "API tokens are lasting credentials; a browser session does not mint or list them",
            "/api/v1/tokens/{id}", "API tokens are lasting credentials; a browser session does not revoke them",
            "/api/v1/portal-links", "links are for the host platform, which holds the user's API token");

    private static final String PORTAL_PREFIX = "/portal";

    private final Map<String, Handler> handlers;
    private final List<Route> byResource;

    /** @param handlers by function logical id, built on first use (a portal page load needs none of them) */
    public PortalApi(Map<String, Supplier<RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>>> handlers) {
        Map<String, Handler> lazy = new HashMap<>();
        handlers.forEach((function, factory) -> lazy.put(function, new Handler(factory)));
        for (Route route : ROUTES) {
            if (!lazy.containsKey(route.function())) {
                throw new IllegalArgumentException("no handler for " + route.function() + ", which serves " + route.resource());
            }
        }
        this.handlers = Map.copyOf(lazy);
        // Literal segments before {parameters}, segment by segment, as API Gateway matches.
        List<Route> sorted = new ArrayList<>(ROUTES);
        sorted.sort(Comparator.comparing(Route::segments, PortalApi::literalFirst));
        this.byResource = List.copyOf(sorted);
    }

    /**
     * Serves {@code /portal/api/v1/<apiPath>} as {@code /api/v1/<apiPath>} for {@code principal}.
     *
     * @param apiPath the path after {@code /api/v1/}, already percent-decoded by the gateway (as path parameters are)
     */
    public APIGatewayProxyResponseEvent dispatch(APIGatewayProxyRequestEvent event, String apiPath, Principal principal,
                                                 Context context) {
        String method = event.getHttpMethod();
        String path = "/api/v1/" + apiPath;
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        List<String> allowed = new ArrayList<>();
        for (Route route : byResource) {
            Optional<Map<String, String>> parameters = bind(route.segments(), segments);
            if (parameters.isEmpty()) {
                continue;
            }
            if (!route.method().equals(method)) {
                // Keep looking: another method may live on the same resource.
                allowed.add(route.method());
                continue;
            }
            APIGatewayProxyResponseEvent response = handlers.get(route.function()).get()
                    .handleRequest(forwarded(event, route, path, parameters.get(), principal), context);
            return portalResponse(response);
        }
        if (!allowed.isEmpty()) {
            String allow = String.join(", ", new TreeSet<>(allowed));
            var problem = ProblemResponses.problem(405, "method-not-allowed", "Method Not Allowed",
                    path + " answers " + allow + ", not " + method + ".", PORTAL_PREFIX + path, List.of());
            Map<String, String> headers = new HashMap<>(problem.getHeaders());
            headers.put("Allow", allow);
            return portalResponse(problem.withHeaders(headers));
        }
        String excluded = EXCLUDED.entrySet().stream()
                .filter(e -> bind(Arrays.stream(e.getKey().split("/")).filter(s -> !s.isEmpty()).toList(), segments).isPresent())
                .map(Map.Entry::getValue).findFirst().orElse(null);
        return portalResponse(ProblemResponses.problem(404, "not-found", "Not Found", excluded != null
                        ? path + " is not available in the portal: " + excluded + "."
                        : "No route " + method + " " + path + " in the portal's API; it offers the routes of docs/openapi.yaml.",
                PORTAL_PREFIX + path, List.of()));
    }

    private static APIGatewayProxyRequestEvent forwarded(APIGatewayProxyRequestEvent event, Route route, String path,
                                                         Map<String, String> parameters, Principal principal) {
        var context = event.getRequestContext() == null ? new APIGatewayProxyRequestEvent.ProxyRequestContext()
                : copy(event.getRequestContext());
        context.setResourcePath(route.resource());
        context.setHttpMethod(route.method());
        Map<String, Object> authorizer = new HashMap<>();
        authorizer.put("userId", principal.userId());
        authorizer.put("tier", principal.tier().id());
        authorizer.put("tokenId", principal.tokenId());
        context.setAuthorizer(authorizer);
        return new APIGatewayProxyRequestEvent()
                .withResource(route.resource())
                .withPath(path)
                .withHttpMethod(route.method())
                .withHeaders(withoutCookies(event.getHeaders()))
                .withMultiValueHeaders(withoutCookies(event.getMultiValueHeaders()))
                .withQueryStringParameters(event.getQueryStringParameters())
                .withMultiValueQueryStringParameters(event.getMultiValueQueryStringParameters())
                .withPathParameters(parameters.isEmpty() ? null : parameters)
                .withStageVariables(event.getStageVariables())
                .withBody(event.getBody())
                .withIsBase64Encoded(event.getIsBase64Encoded())
                .withRequestContext(context);
    }

    /** The API's answer with the portal's headers; a Location into the API points into the portal's API instead. */
    private static APIGatewayProxyResponseEvent portalResponse(APIGatewayProxyResponseEvent response) {
        Map<String, String> headers = new HashMap<>(response.getHeaders() == null ? Map.of() : response.getHeaders());
        headers.putAll(PortalPolicy.baseHeaders());
        headers.put("Cache-Control", "no-store");
        String location = headers.get("Location");
        if (location != null && location.startsWith("/api/v1/")) {
            headers.put("Location", PORTAL_PREFIX + location);
        }
        return response.withHeaders(headers);
    }

    private static <V> Map<String, V> withoutCookies(Map<String, V> headers) {
        if (headers == null) {
            return null;
        }
        Map<String, V> copy = new LinkedHashMap<>(headers);
        copy.keySet().removeIf(name -> name.equalsIgnoreCase("cookie"));
        return copy;
    }

    private static APIGatewayProxyRequestEvent.ProxyRequestContext copy(APIGatewayProxyRequestEvent.ProxyRequestContext from) {
        var to = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        to.setAccountId(from.getAccountId());
        to.setStage(from.getStage());
        to.setApiId(from.getApiId());
        to.setRequestId(from.getRequestId());
        to.setExtendedRequestId(from.getExtendedRequestId());
        to.setResourceId(from.getResourceId());
        to.setIdentity(from.getIdentity());
        to.setPath(from.getPath());
        to.setProtocol(from.getProtocol());
        to.setDomainName(from.getDomainName());
        to.setRequestTime(from.getRequestTime());
        to.setRequestTimeEpoch(from.getRequestTimeEpoch());
        return to;
    }

    private static Optional<Map<String, String>> bind(List<String> pattern, List<String> request) {
        if (pattern.size() != request.size()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String segment = pattern.get(i);
            String given = request.get(i);
            if (segment.startsWith("{") && segment.endsWith("}")) {
                parameters.put(segment.substring(1, segment.length() - 1), given);
            } else if (!segment.equals(given)) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }

    private static int literalFirst(List<String> left, List<String> right) {
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            int difference = Boolean.compare(left.get(i).startsWith("{"), right.get(i).startsWith("{"));
            if (difference != 0) {
                return difference;
            }
        }
        return Integer.compare(left.size(), right.size());
    }

    /** A handler built on its first request, once, thread-safely. */
    private static final class Handler {
        private final Supplier<RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> factory;
        private volatile RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> built;

        Handler(Supplier<RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> factory) {
            this.factory = factory;
        }

        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> get() {
            var current = built;
            if (current == null) {
                synchronized (this) {
                    current = built;
                    if (current == null) {
                        current = factory.get();
                        built = current;
                    }
                }
            }
            return current;
        }
    }
}
