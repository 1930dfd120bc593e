package app.connectors.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.connector.ConnectorService;
import app.connectors.connector.ConnectorValidator;
import app.connectors.connector.DestinationUrlPolicy;
import app.connectors.crypto.LocalKeyFileDataKeySource;
import app.connectors.crypto.SecretCipher;
import app.connectors.auth.TokenService;
import app.connectors.event.EventCatalog;
import app.connectors.json.Json;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Proves that template.yaml and the handlers agree: every API route reaches a handler that serves
 * it, every handler that takes API Gateway events has a route, and the resources are wired by
 * reference, with log retention.
 *
 * <p>How "serves the route" is checked: each routed handler is built through its package-private
 * constructor over in-memory fakes and called with the route's method and resource, as API Gateway
 * would. A route the handler's switch lacks answers 404 "No such route"; any other answer (a 200, a
 * 400 for the empty body, a 404 for an unknown id) proves the switch took the route. Calling the
 * handler is more robust than reading its source for route strings, which would pass for a string
 * in a comment and fail for a route built from constants.
 */
class TemplateRoutesTest {

    private static final String FUNCTION = "AWS::Serverless::Function";
    private static final Map<String, Object> TEMPLATE = loadTemplate();
    private static final Map<String, Object> AUTHORIZER_CONTEXT = Map.of("userId", "u1", "tier", "pro", "tokenId", "tok_1");

    /**
     * The routed handlers, over fakes. A handler added to a route in template.yaml needs an entry
     * here; the test says so rather than passing without having called it.
     */
    private static final Map<String, Supplier<RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>>> HANDLERS =
            Map.of(
                    CatalogHandler.class.getName(), CatalogHandler::new,
                    ConnectorsHandler.class.getName(), () -> new ConnectorsHandler(connectorService(), () -> { throw new IllegalStateException("no idempotency store in this test"); }),
                    TokensHandler.class.getName(), () -> new TokensHandler(
                            new TokenService(new app.connectors.auth.InMemoryTokenStore(), new app.connectors.account.InMemoryUserStore(Clock.systemUTC()), Clock.systemUTC())),
                    // The connector lookup (an empty store: 404) comes before any delivery store, queue or
                    // sender is touched, so those are left out; the route switch is what is under test.
                    DeliveriesHandler.class.getName(), () -> new DeliveriesHandler(
                            new app.connectors.delivery.DeliveryLog(connectorService(), null, null, null),
                            new app.connectors.delivery.ConnectorTester(connectorService(), EventCatalog.standard(), null, null,
                                    Clock.systemUTC())),
                    TransformationsHandler.class.getName(), TransformationsHandler::new,
                    PortalHandler.class.getName(), () -> new PortalHandler(new app.connectors.portal.PortalSessions(
                            new app.connectors.portal.InMemoryPortalStore(), new app.connectors.account.InMemoryUserStore(Clock.systemUTC()),
                            Clock.systemUTC()), new app.connectors.account.InMemoryUserStore(Clock.systemUTC()),
                            new app.connectors.functions.portal.PortalApi(Map.of("CatalogFunction", CatalogHandler::new,
                                    "ConnectorsFunction", () -> new ConnectorsHandler(connectorService(), () -> { throw new IllegalStateException("no idempotency store in this test"); }),
                                    "DeliveriesFunction", CatalogHandler::new, "TransformationsFunction", TransformationsHandler::new,
                                    "TemplatesFunction", CatalogHandler::new)),
                            PortalTestParts.connectRoutes(connectorService(), java.util.Map.of()),
                            app.connectors.config.Settings.from(Map.of()), PortalHandler.WEB_ROOT),
                    TemplatesHandler.class.getName(), () -> new TemplatesHandler(new app.connectors.template.TemplateService(
                            new EmptyTemplateStore(), ConnectorTypeCatalog.standard(), EventCatalog.standard(),
                            source -> Optional.empty(), Clock.systemUTC())));

    /** No templates: list answers an empty list, get a 404 problem; either proves the route was taken. */
    static final class EmptyTemplateStore implements app.connectors.template.TemplateStore {
        @Override
        public void put(app.connectors.template.ConnectorTemplate template) {
            throw new UnsupportedOperationException("read-only in this test");
        }

        @Override
        public Optional<app.connectors.template.ConnectorTemplate> find(String id) {
            return Optional.empty();
        }

        @Override
        public List<app.connectors.template.ConnectorTemplate> list() {
            return List.of();
        }

        @Override
        public boolean delete(String id) {
            return false;
        }
    }

    record Route(String function, String handlerClass, String method, String path) {
        @Override
        public String toString() {
            return method + " " + path + " → " + function;
        }
    }

    // ------------------------------------------------------------------ routes and handlers

    @Test
    void templateDeclaresTheConnectorsApiRoutes() {
        assertThat(routes()).extracting(r -> r.method() + " " + r.path()).contains(
                "GET /api/v1/connectors", "POST /api/v1/connectors", "GET /api/v1/connectors/{uuid}",
                "PUT /api/v1/connectors/{uuid}", "PATCH /api/v1/connectors/{uuid}", "DELETE /api/v1/connectors/{uuid}",
                "GET /api/v1/connectors/types", "GET /api/v1/event-types",
                "POST /api/v1/tokens", "GET /api/v1/tokens", "DELETE /api/v1/tokens/{id}");
    }

    @Test
    void everyFunctionHandlerNamesAnExistingRequestHandlerAndHandleRequest() {
        assertThat(functions()).isNotEmpty();
        functions().forEach((name, properties) -> {
            String handler = (String) properties.get("Handler");
            assertThat(handler).as(name).matches("[\\w.]+::handleRequest");
            Class<?> type = load(handler.substring(0, handler.indexOf("::")));
            assertThat(RequestHandler.class).as(name).isAssignableFrom(type);
            assertThat(Stream.of(type.getMethods()).filter(m -> m.getName().equals("handleRequest"))
                    .map(Method::getParameterCount)).as(name).contains(2);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void everyApiRouteIsServedByItsHandler(Route route) {
        // GIVEN the handler the template routes to, built over fakes
        var factory = HANDLERS.get(route.handlerClass());
        if (factory == null) {
            fail("No fake-backed factory for " + route.handlerClass() + "; add one to HANDLERS so its routes are checked");
        }

        // WHEN API Gateway delivers the route to it, as the authorizer's caller
        APIGatewayProxyResponseEvent response = factory.get().handleRequest(proxyEvent(route.method(), route.path()), null);

        // THEN the handler's switch took the route
        assertThat(isNoSuchRoute(response)).as("%s answered %s %s", route, response.getStatusCode(), response.getBody()).isFalse();
    }

    @Test
    void aRouteAHandlerDoesNotServeIsRecognisedAsNoSuchRoute() {
        // The control for the test above: the check does catch a route the handler lacks.
        APIGatewayProxyResponseEvent response = new CatalogHandler().handleRequest(proxyEvent("GET", "/api/v1/tokens"), null);

        assertThat(isNoSuchRoute(response)).isTrue();
    }

    @Test
    void everyApiGatewayHandlerInThePackageHasARoute() throws Exception {
        // GIVEN every class of the handlers' package that handles API Gateway proxy events
        Set<String> proxyHandlers = new TreeSet<>();
        for (Class<?> type : handlerPackageClasses()) {
            for (var generic : type.getGenericInterfaces()) {
                if (generic instanceof ParameterizedType p && p.getRawType() == RequestHandler.class
                        && p.getActualTypeArguments()[0] == APIGatewayProxyRequestEvent.class) {
                    proxyHandlers.add(type.getName());
                }
            }
        }

        // THEN each one is the target of at least one route
        assertThat(proxyHandlers).contains(ConnectorsHandler.class.getName());
        assertThat(routes().stream().map(Route::handlerClass).toList()).containsAll(proxyHandlers);
    }

    // ------------------------------------------------------------------ resources

    @Test
    void everyFunctionHasALogGroupWithRetention() {
        Map<String, Map<String, Object>> logGroups = new HashMap<>();
        resources().forEach((id, resource) -> {
            if ("AWS::Logs::LogGroup".equals(resource.get("Type"))) {
                Map<String, Object> properties = map(resource.get("Properties"));
                logGroups.put(String.valueOf(map(properties.get("LogGroupName")).get("Fn::Sub")), properties);
            }
        });

        assertThat(functions().keySet()).allSatisfy(function -> {
            Map<String, Object> group = logGroups.get("/aws/lambda/${" + function + "}");
            assertThat(group).as("log group of " + function).isNotNull();
            assertThat(group.get("RetentionInDays")).as("retention of " + function).isNotNull();
        });
    }

    @Test
    void environmentVariablesThatNameResourcesAreReferences() {
        // GIVEN every environment variable of every function, and of Globals
        Map<String, Object> variables = new LinkedHashMap<>();
        Map<String, Object> globals = map(map(map(TEMPLATE.get("Globals")).get("Function")).get("Environment"));
        map(globals.get("Variables")).forEach((k, v) -> variables.put("Globals." + k, v));
        functions().forEach((name, properties) -> {
            Object environment = properties.get("Environment");
            if (environment != null) {
                map(map(environment).get("Variables")).forEach((k, v) -> variables.put(name + "." + k, v));
            }
        });
        assertThat(variables).isNotEmpty();

        variables.forEach((variable, value) -> {
            String name = variable.substring(variable.indexOf('.') + 1);
            if (isOperatorAddress(value)) {
                // An address the operator chooses (a parameter), or else one built from the template's own resources.
                return;
            }
            if (name.matches(".*_(TABLE|URL|ARN|KEY_ID)")) {
                // THEN a variable naming a resource is a !Ref or !GetAtt of a resource of this template
                assertThat(value).as(variable).isInstanceOf(Map.class);
                Map<String, Object> intrinsic = map(value);
                assertThat(intrinsic.keySet()).as(variable).containsAnyOf("Ref", "Fn::GetAtt");
                String target = String.valueOf(intrinsic.getOrDefault("Ref", intrinsic.get("Fn::GetAtt"))).split("\\.")[0];
                assertThat(resources()).as(variable + " refers to " + target).containsKey(target);
                if (name.endsWith("_TABLE")) {
                    assertThat(resources().get(target).get("Type")).as(variable).isEqualTo("AWS::DynamoDB::Table");
                }
            } else {
                // AND no plain value spells a resource's logical id or a table name
                assertThat(value).as(variable).isInstanceOf(String.class);
                assertThat(resources()).as(variable).doesNotContainKey((String) value);
                assertThat((String) value).as(variable).doesNotContainIgnoringCase("table");
            }
        });
    }

    @Test
    void everyFunctionsEnvironmentHasTheVariablesItsHandlerNeedsToStart() {
        // Each handler has a public constructor taking its function's environment (the local stack uses
        // it). Built with the template's variables, a handler must not stop on a variable that is not
        // set. Other start-up failures are out of scope here: the AWS clients are built but never called,
        // and the SSRF guard that ConnectorsHandler needs is not implemented yet.
        functions().forEach((name, properties) -> {
            Map<String, String> environment = new HashMap<>();
            environment.put("AWS_REGION", "eu-west-1");
            Object env = properties.get("Environment");
            if (env != null) {
                map(map(env).get("Variables")).forEach((k, v) -> environment.put(k, v instanceof String s ? s : "resolved-" + k));
            }
            String handler = (String) properties.get("Handler");
            try {
                load(handler.substring(0, handler.indexOf("::"))).getConstructor(Map.class).newInstance(environment);
            } catch (java.lang.reflect.InvocationTargetException e) {
                assertThat(e.getCause().getMessage()).as(name + " starts with " + environment.keySet())
                        .doesNotContain("is not set");
            } catch (ReflectiveOperationException e) {
                fail(name + " has no public constructor taking its environment", e);
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    /**
     * A !Ref of a template parameter, or an Fn::If whose branches are such a !Ref or a !Sub (an address
     * the operator sets, falling back to one built from this template's resources).
     */
    private static boolean isOperatorAddress(Object value) {
        if (!(value instanceof Map<?, ?> intrinsic)) {
            return false;
        }
        Map<String, Object> parameters = map(TEMPLATE.get("Parameters"));
        if (intrinsic.containsKey("Ref")) {
            return parameters.containsKey(String.valueOf(intrinsic.get("Ref")));
        }
        if (intrinsic.get("Fn::If") instanceof List<?> branches && branches.size() == 3) {
            return branches.subList(1, 3).stream().allMatch(branch -> isOperatorAddress(branch)
                    || branch instanceof Map<?, ?> sub && sub.containsKey("Fn::Sub"));
        }
        return false;
    }

    private static boolean isNoSuchRoute(APIGatewayProxyResponseEvent response) {
        if (response.getStatusCode() != 404) {
            return false;
        }
        JsonNode body = Json.read(new java.io.ByteArrayInputStream(response.getBody().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return body.path("detail").asText().startsWith("No such route");
    }

    private static APIGatewayProxyRequestEvent proxyEvent(String method, String resource) {
        Map<String, String> pathParameters = new HashMap<>();
        String path = resource;
        var matcher = java.util.regex.Pattern.compile("\\{(\\w+)}").matcher(resource);
        while (matcher.find()) {
            pathParameters.put(matcher.group(1), "00000000-0000-4000-8000-000000000000");
            path = path.replace(matcher.group(), "00000000-0000-4000-8000-000000000000");
        }
        boolean hasBody = Set.of("POST", "PUT", "PATCH").contains(method);
        return new APIGatewayProxyRequestEvent()
                .withHttpMethod(method)
                .withResource(resource)
                .withPath(path)
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(hasBody ? "{}" : null)
                .withRequestContext(requestContext("req-routes", AUTHORIZER_CONTEXT));
    }

    static APIGatewayProxyRequestEvent.ProxyRequestContext requestContext(String requestId, Map<String, Object> authorizer) {
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId(requestId);
        context.setAuthorizer(new HashMap<>(authorizer));
        return context;
    }

    static ConnectorService connectorService() {
        try {
            Path keyFile = Files.createTempDirectory("routes").resolve("master.key");
            var users = new app.connectors.account.InMemoryUserStore(Clock.systemUTC());
            var validator = new ConnectorValidator(ConnectorTypeCatalog.standard(), EventCatalog.standard(),
                    new DestinationUrlPolicy((host, port) -> List.of(), false), source -> Optional.empty());
            return new ConnectorService(new EmptyConnectorStore(), users, validator, ConnectorTypeCatalog.standard(),
                    new SecretCipher(new LocalKeyFileDataKeySource(keyFile), Clock.systemUTC()), Clock.systemUTC(), id -> Optional.empty());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        functions().forEach((name, properties) -> {
            String handler = (String) properties.get("Handler");
            Object events = properties.get("Events");
            if (events == null) {
                return;
            }
            map(events).values().forEach(event -> {
                Map<String, Object> e = map(event);
                if ("Api".equals(e.get("Type"))) {
                    Map<String, Object> p = map(e.get("Properties"));
                    routes.add(new Route(name, handler.substring(0, handler.indexOf("::")),
                            String.valueOf(p.get("Method")).toUpperCase(java.util.Locale.ROOT), (String) p.get("Path")));
                }
            });
        });
        return routes;
    }

    private static Map<String, Map<String, Object>> resources() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        map(TEMPLATE.get("Resources")).forEach((k, v) -> out.put(k, map(v)));
        return out;
    }

    /** The template's functions by logical id, with their properties. */
    static Map<String, Map<String, Object>> functions() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            if (FUNCTION.equals(resource.get("Type"))) {
                out.put(id, map(resource.get("Properties")));
            }
        });
        return out;
    }

    private static List<Class<?>> handlerPackageClasses() throws URISyntaxException, IOException, ClassNotFoundException {
        String pkg = ConnectorsHandler.class.getPackageName();
        Path dir = Path.of(ConnectorsHandler.class.getResource("ConnectorsHandler.class").toURI()).getParent();
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String fileName = file.getFileName().toString();
                if (fileName.endsWith(".class") && !fileName.contains("$")) {
                    classes.add(Class.forName(pkg + "." + fileName.substring(0, fileName.length() - ".class".length())));
                }
            }
        }
        return classes;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("template.yaml names a handler class that does not exist: " + name, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> loadTemplate() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("template.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
        }
        try (InputStream in = Files.newInputStream(dir.resolve("template.yaml"))) {
            return new Yaml(new CloudFormationConstructor()).load(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Reads CloudFormation's short-form intrinsics as their long JSON form ({@code !Ref X} →
     * {@code {"Ref": "X"}}), so that a reference stays distinguishable from a literal.
     */
    private static final class CloudFormationConstructor extends SafeConstructor {

        CloudFormationConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!GetAtt"), new Intrinsic("Fn::GetAtt"));
            yamlConstructors.put(new Tag("!Sub"), new Intrinsic("Fn::Sub"));
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String name;

            Intrinsic(String name) {
                this.name = name;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    value = scalar.getValue();
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(name, value);
            }
        }
    }

    @Test
    void functionsThatSealSecretsMayAskKmsForDataKeys() {
        // GIVEN the functions that write connectors (envelope encryption calls kms:GenerateDataKey, not kms:Encrypt)
        Map<String, Object> policies = Map.of("Policies", functions().get("ConnectorsFunction").get("Policies"));

        // THEN their policies grant kms:GenerateDataKey on the secrets key
        assertThat(String.valueOf(policies)).contains("kms:GenerateDataKey").contains("SecretsKey");
    }
}
