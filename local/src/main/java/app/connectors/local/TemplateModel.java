package app.connectors.local;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * What the local stack needs from a SAM template: functions (handler, timeout, environment, API
 * and SQS events), the REST API's routes, its authorizer and gateway responses, DynamoDB tables and
 * SQS queues. CloudFormation intrinsics ({@code !Ref}, {@code !GetAtt}, {@code !Sub}, … in short or
 * long form) are kept as {@link Intrinsic} values and resolved later by a {@link Resolver}, because
 * only the running stack knows ports, queue URLs and ARNs.
 *
 * <pre>{@code
 * TemplateModel template = TemplateModel.load(Path.of("template.yaml"));
 * for (TemplateModel.Route route : template.routes()) {
 *     System.out.println(route.method() + " " + route.path() + " -> " + route.functionLogicalId());
 * }
 * Map<String, String> env = template.function("ConnectorsFunction").orElseThrow().environment(resolver);
 * }</pre>
 */
public final class TemplateModel {

    /** A CloudFormation intrinsic function, e.g. {@code Ref "UsersTable"} or {@code Fn::GetAtt ["Q", "Arn"]}. */
    public record Intrinsic(String function, Object argument) {

        /** The logical id and attribute of a {@code Fn::GetAtt} in either form ("X.Arn" or [X, Arn]). */
        public List<String> getAttTarget() {
            if (argument instanceof List<?> list && list.size() == 2) {
                return List.of(String.valueOf(list.get(0)), String.valueOf(list.get(1)));
            }
            String text = String.valueOf(argument);
            int dot = text.indexOf('.');
            if (dot < 0) {
                throw new IllegalArgumentException("Fn::GetAtt needs Resource.Attribute, got: " + text);
            }
            return List.of(text.substring(0, dot), text.substring(dot + 1));
        }

        /** The logical id this intrinsic points at when it is a Ref or a GetAtt, else empty. */
        public Optional<String> referencedLogicalId() {
            return switch (function) {
                // SAM's "!Ref Fn.Alias" / "!Ref Fn.Version" name the function's published alias or version.
                case "Ref" -> Optional.of(String.valueOf(argument).replaceFirst("\\.(Alias|Version)$", ""));
                case "Fn::GetAtt" -> Optional.of(getAttTarget().get(0));
                default -> Optional.empty();
            };
        }
    }

    /** The template cannot be read as YAML. */
    public static final class InvalidTemplateException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidTemplateException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Turns an intrinsic into the string a function sees in its environment. */
    @FunctionalInterface
    public interface Resolver {
        String resolve(Intrinsic intrinsic);
    }

    /** One {@code AWS::Serverless::Function}, Globals merged in. */
    public record Function(
            String logicalId,
            String handlerClass,
            String handlerMethod,
            int timeoutSeconds,
            int memorySizeMb,
            Map<String, Object> rawEnvironment,
            List<ApiEvent> apiEvents,
            List<SqsEventSource> sqsEvents,
            List<ScheduleEvent> scheduleEvents) {

        /** The environment with every intrinsic resolved; plain values are turned into strings. */
        public Map<String, String> environment(Resolver resolver) {
            Map<String, String> env = new LinkedHashMap<>();
            rawEnvironment.forEach((name, value) -> env.put(name, value instanceof Intrinsic intrinsic
                    ? resolver.resolve(intrinsic)
                    : String.valueOf(value)));
            return env;
        }
    }

    /** An event of Type Api; {@code authorizer} is the event's own Auth.Authorizer (null: the API's default). */
    public record ApiEvent(String name, String path, String method, String authorizer) {
    }

    /** An event of Type SQS: the queue's logical id and how Lambda's event source mapping polls it. */
    public record SqsEventSource(
            String name,
            String queueLogicalId,
            int batchSize,
            boolean reportBatchItemFailures,
            Integer maximumConcurrency,
            boolean enabled) {
    }

    /**
     * An event of Type Schedule with a {@code rate(N unit)} expression: the function runs every
     * {@code every}. (Cron expressions are not emulated; the template uses none.)
     */
    public record ScheduleEvent(String name, java.time.Duration every, boolean enabled) {
    }

    /** A route of the REST API; {@code authorizer} is null when the route is public. */
    public record Route(String method, String path, String functionLogicalId, String authorizer) {
    }

    /** A Lambda authorizer of the REST API. {@code ttlSeconds} is ReauthorizeEvery (API Gateway's default 300). */
    public record Authorizer(
            String name,
            String functionLogicalId,
            String payloadType,
            List<String> identityHeaders,
            int ttlSeconds) {
    }

    /** A GatewayResponses entry: status, headers (quotes stripped) and the application/json template. */
    public record GatewayResponse(String type, Integer statusCode, Map<String, String> headers, String body) {
    }

    /** An {@code AWS::DynamoDB::Table} with its full Properties. */
    public record Table(String logicalId, Map<String, Object> properties) {
    }

    /**
     * An {@code AWS::SQS::Queue}; the redrive policy's dead-letter target is reduced to its logical id
     * (null when the queue has no RedrivePolicy).
     */
    public record Queue(
            String logicalId,
            Map<String, Object> properties,
            String deadLetterQueueLogicalId,
            Integer maxReceiveCount) {
    }

    /** The REST API: stage, authorizers, default authorizer, gateway responses, binary media types. */
    public record Api(
            String logicalId,
            String stageName,
            String defaultAuthorizer,
            Map<String, Authorizer> authorizers,
            Map<String, GatewayResponse> gatewayResponses,
            List<String> binaryMediaTypes) {
    }

    private static final int DEFAULT_TIMEOUT_SECONDS = 3;
    private static final int DEFAULT_MEMORY_MB = 128;
    /** API Gateway caches an authorizer's policy for 300 s unless the template says otherwise. */
    private static final int DEFAULT_AUTHORIZER_TTL_SECONDS = 300;

    private final Map<String, Object> resources;
    private final Map<String, Object> parameters;
    /** The template's Conditions, by name, with their intrinsics normalized. */
    private final Map<String, Object> conditions;
    private final Map<String, Function> functions = new LinkedHashMap<>();
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final List<Route> routes = new ArrayList<>();
    private final Api api;

    private TemplateModel(Map<String, Object> root) {
        this.resources = mapOf(root.get("Resources"));
        this.parameters = mapOf(root.get("Parameters"));
        this.conditions = mapOf(normalize(root.get("Conditions")));
        Map<String, Object> globals = mapOf(mapOf(root.get("Globals")).get("Function"));
        resources.forEach((id, definition) -> {
            Map<String, Object> resource = mapOf(definition);
            Map<String, Object> properties = mapOf(resource.get("Properties"));
            switch (String.valueOf(resource.get("Type"))) {
                case "AWS::Serverless::Function" -> functions.put(id, parseFunction(id, properties, globals));
                case "AWS::DynamoDB::Table" -> tables.put(id, new Table(id, properties));
                case "AWS::SQS::Queue" -> queues.put(id, parseQueue(id, properties));
                default -> {
                    // Other resources (log groups, alarms, keys, …) have no local behaviour.
                }
            }
        });
        this.api = parseApi();
        functions.values().forEach(function -> function.apiEvents().forEach(event -> {
            String authorizer = event.authorizer() == null ? (api == null ? null : api.defaultAuthorizer())
                    : "NONE".equals(event.authorizer()) ? null : event.authorizer();
            if (authorizer != null && (api == null || !api.authorizers().containsKey(authorizer))) {
                throw new IllegalArgumentException(function.logicalId() + "." + event.name()
                        + " uses authorizer " + authorizer + ", which the API does not define");
            }
            routes.add(new Route(event.method(), event.path(), function.logicalId(), authorizer));
        }));
    }

    /** Parses a template file. */
    public static TemplateModel load(Path template) {
        try (Reader reader = Files.newBufferedReader(template, StandardCharsets.UTF_8)) {
            return parse(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + template, e);
        }
    }

    /** Parses template text (handy in tests). */
    public static TemplateModel parse(String yaml) {
        return parse(new StringReader(yaml));
    }

    private static TemplateModel parse(Reader reader) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object root;
        try {
            root = new Yaml(new CloudFormationConstructor(options)).load(reader);
        } catch (MarkedYAMLException e) {
            // Typically "{param}" in an unquoted flow-mapping value; SAM's own parser rejects it too.
            throw new InvalidTemplateException("the template is not valid YAML (sam validate rejects it too): "
                    + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("a template is a YAML mapping");
        }
        return new TemplateModel(mapOf(normalize(root)));
    }

    public Map<String, Function> functions() {
        return Collections.unmodifiableMap(functions);
    }

    public Optional<Function> function(String logicalId) {
        return Optional.ofNullable(functions.get(logicalId));
    }

    public Map<String, Table> tables() {
        return Collections.unmodifiableMap(tables);
    }

    public Map<String, Queue> queues() {
        return Collections.unmodifiableMap(queues);
    }

    public List<Route> routes() {
        return Collections.unmodifiableList(routes);
    }

    /** The REST API, if the template declares an {@code AWS::Serverless::Api}. */
    public Optional<Api> api() {
        return Optional.ofNullable(api);
    }

    /** The CloudFormation type of a resource ({@code AWS::KMS::Key}, …), if it exists. */
    public Optional<String> resourceType(String logicalId) {
        Object resource = resources.get(logicalId);
        return resource == null ? Optional.empty() : Optional.of(String.valueOf(mapOf(resource).get("Type")));
    }

    /** The logical ids of every resource of a CloudFormation type, in template order. */
    public List<String> resourcesOfType(String type) {
        return resources.entrySet().stream()
                .filter(entry -> type.equals(String.valueOf(mapOf(entry.getValue()).get("Type"))))
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * A resource's attribute beside Type and Properties ({@code DeletionPolicy}, {@code Condition}, …) or,
     * with a dotted name {@code Properties.X}, one of its properties, as text.
     */
    public Optional<String> resourceAttribute(String logicalId, String attribute) {
        Object value = mapOf(resources.get(logicalId));
        for (String part : attribute.split("\\.")) {
            value = mapOf(value).get(part);
        }
        return Optional.ofNullable(value).map(String::valueOf);
    }

    /** A condition of the template's Conditions section (an {@link Intrinsic} such as Fn::Equals), if it exists. */
    public Optional<Object> condition(String name) {
        return Optional.ofNullable(conditions.get(name));
    }

    /** The Default of a template parameter, if the parameter exists and has one. */
    public Optional<String> parameterDefault(String name) {
        Object parameter = parameters.get(name);
        if (parameter == null) {
            return Optional.empty();
        }
        Object value = mapOf(parameter).get("Default");
        return value == null ? Optional.empty() : Optional.of(String.valueOf(value));
    }

    // ------------------------------------------------------------------------------------ parsing

    private static Function parseFunction(String id, Map<String, Object> properties, Map<String, Object> globals) {
        String handler = stringOf(properties.getOrDefault("Handler", globals.get("Handler")));
        if (handler == null) {
            throw new IllegalArgumentException("function " + id + " has no Handler");
        }
        int separator = handler.indexOf("::");
        String handlerClass = separator < 0 ? handler : handler.substring(0, separator);
        String handlerMethod = separator < 0 ? "handleRequest" : handler.substring(separator + 2);

        Map<String, Object> environment = new LinkedHashMap<>(
                mapOf(mapOf(globals.get("Environment")).get("Variables")));
        environment.putAll(mapOf(mapOf(properties.get("Environment")).get("Variables")));

        List<ApiEvent> apiEvents = new ArrayList<>();
        List<SqsEventSource> sqsEvents = new ArrayList<>();
        List<ScheduleEvent> scheduleEvents = new ArrayList<>();
        mapOf(properties.get("Events")).forEach((name, definition) -> {
            Map<String, Object> event = mapOf(definition);
            Map<String, Object> eventProperties = mapOf(event.get("Properties"));
            switch (String.valueOf(event.get("Type"))) {
                case "Api" -> apiEvents.add(new ApiEvent(name,
                        stringOf(eventProperties.get("Path")),
                        stringOf(eventProperties.get("Method")).toUpperCase(Locale.ROOT),
                        stringOf(mapOf(eventProperties.get("Auth")).get("Authorizer"))));
                case "SQS" -> sqsEvents.add(parseSqsEvent(id, name, eventProperties));
                case "Schedule" -> scheduleEvents.add(parseSchedule(id, name, eventProperties));
                default -> {
                    // Other sources are not emulated; invoke them with the invoke command.
                }
            }
        });
        return new Function(id, handlerClass, handlerMethod,
                intOf(properties.getOrDefault("Timeout", globals.get("Timeout")), DEFAULT_TIMEOUT_SECONDS),
                intOf(properties.getOrDefault("MemorySize", globals.get("MemorySize")), DEFAULT_MEMORY_MB),
                Collections.unmodifiableMap(environment), List.copyOf(apiEvents), List.copyOf(sqsEvents),
                List.copyOf(scheduleEvents));
    }

    private static final java.util.regex.Pattern RATE = java.util.regex.Pattern.compile(
            "rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");

    private static ScheduleEvent parseSchedule(String functionId, String name, Map<String, Object> properties) {
        String expression = String.valueOf(properties.get("Schedule")).strip();
        var rate = RATE.matcher(expression);
        if (!rate.matches()) {
            throw new IllegalArgumentException(functionId + "." + name + ": only rate(N minutes|hours|days) schedules are "
                    + "emulated, got '" + expression + "'");
        }
        long amount = Long.parseLong(rate.group(1));
        java.time.Duration every = switch (rate.group(2)) {
            case "minute", "minutes" -> java.time.Duration.ofMinutes(amount);
            case "hour", "hours" -> java.time.Duration.ofHours(amount);
            default -> java.time.Duration.ofDays(amount);
        };
        boolean enabled = !"false".equalsIgnoreCase(String.valueOf(properties.getOrDefault("Enabled", "true")));
        return new ScheduleEvent(name, every, enabled);
    }

    private static SqsEventSource parseSqsEvent(String functionId, String name, Map<String, Object> properties) {
        Object queue = properties.get("Queue");
        if (!(queue instanceof Intrinsic intrinsic) || intrinsic.referencedLogicalId().isEmpty()) {
            throw new IllegalArgumentException(functionId + "." + name + ": Queue must be !GetAtt <Queue>.Arn");
        }
        List<?> responseTypes = properties.get("FunctionResponseTypes") instanceof List<?> list ? list : List.of();
        Object maximumConcurrency = mapOf(properties.get("ScalingConfig")).get("MaximumConcurrency");
        return new SqsEventSource(name, intrinsic.referencedLogicalId().get(),
                intOf(properties.get("BatchSize"), 10),
                responseTypes.contains("ReportBatchItemFailures"),
                maximumConcurrency == null ? null : intOf(maximumConcurrency, 2),
                !"false".equalsIgnoreCase(String.valueOf(properties.getOrDefault("Enabled", "true"))));
    }

    private static Queue parseQueue(String id, Map<String, Object> properties) {
        Map<String, Object> redrive = mapOf(properties.get("RedrivePolicy"));
        if (redrive.isEmpty()) {
            return new Queue(id, properties, null, null);
        }
        Object target = redrive.get("deadLetterTargetArn");
        if (!(target instanceof Intrinsic intrinsic) || intrinsic.referencedLogicalId().isEmpty()) {
            throw new IllegalArgumentException(id + ": RedrivePolicy.deadLetterTargetArn must be !GetAtt <Queue>.Arn");
        }
        return new Queue(id, properties, intrinsic.referencedLogicalId().get(), intOf(redrive.get("maxReceiveCount"), 10));
    }

    private Api parseApi() {
        for (Map.Entry<String, Object> entry : resources.entrySet()) {
            Map<String, Object> resource = mapOf(entry.getValue());
            if (!"AWS::Serverless::Api".equals(resource.get("Type"))) {
                continue;
            }
            Map<String, Object> properties = mapOf(resource.get("Properties"));
            Map<String, Object> auth = mapOf(properties.get("Auth"));
            Map<String, Authorizer> authorizers = new LinkedHashMap<>();
            mapOf(auth.get("Authorizers")).forEach((name, definition) -> {
                Map<String, Object> authorizer = mapOf(definition);
                Object functionArn = authorizer.get("FunctionArn");
                if (!(functionArn instanceof Intrinsic intrinsic) || intrinsic.referencedLogicalId().isEmpty()) {
                    throw new IllegalArgumentException("authorizer " + name + ": FunctionArn must be !GetAtt <Function>.Arn or !Ref <Function>.Alias");
                }
                Map<String, Object> identity = mapOf(authorizer.get("Identity"));
                List<String> headers = new ArrayList<>();
                if (identity.get("Headers") instanceof List<?> list) {
                    list.forEach(header -> headers.add(String.valueOf(header)));
                } else if (identity.get("Header") != null) {
                    headers.add(String.valueOf(identity.get("Header")));
                } else {
                    headers.add("Authorization"); // SAM's default identity source
                }
                authorizers.put(name, new Authorizer(name, intrinsic.referencedLogicalId().get(),
                        String.valueOf(authorizer.getOrDefault("FunctionPayloadType", "TOKEN")),
                        List.copyOf(headers),
                        intOf(identity.get("ReauthorizeEvery"), DEFAULT_AUTHORIZER_TTL_SECONDS)));
            });
            Map<String, GatewayResponse> responses = new LinkedHashMap<>();
            mapOf(properties.get("GatewayResponses")).forEach((type, definition) -> {
                Map<String, Object> response = mapOf(definition);
                Map<String, String> headers = new LinkedHashMap<>();
                mapOf(mapOf(response.get("ResponseParameters")).get("Headers"))
                        .forEach((name, value) -> headers.put(name, unquote(String.valueOf(value))));
                Object status = response.get("StatusCode");
                responses.put(type, new GatewayResponse(type, status == null ? null : intOf(status, 0), headers,
                        stringOf(mapOf(response.get("ResponseTemplates")).get("application/json"))));
            });
            List<String> binaryMediaTypes = new ArrayList<>();
            if (properties.get("BinaryMediaTypes") instanceof List<?> list) {
                // CloudFormation escapes "/" as "~1" in binary media types.
                list.forEach(type -> binaryMediaTypes.add(String.valueOf(type).replace("~1", "/")));
            }
            Object stage = properties.get("StageName");
            String stageName = stage instanceof Intrinsic intrinsic && "Ref".equals(intrinsic.function())
                    ? parameterDefault(String.valueOf(intrinsic.argument())).orElse("local")
                    : stage == null ? "local" : String.valueOf(stage);
            return new Api(entry.getKey(), stageName, stringOf(auth.get("DefaultAuthorizer")),
                    Collections.unmodifiableMap(authorizers), Collections.unmodifiableMap(responses),
                    List.copyOf(binaryMediaTypes));
        }
        return null;
    }

    /** Header values in GatewayResponses are static strings wrapped in single quotes. */
    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("'") && value.endsWith("'")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    /** Turns long-form intrinsics ({"Ref": x}, {"Fn::GetAtt": …}) into {@link Intrinsic} values, recursively. */
    private static Object normalize(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                Map.Entry<?, ?> only = map.entrySet().iterator().next();
                String key = String.valueOf(only.getKey());
                if (key.equals("Ref") || key.startsWith("Fn::")) {
                    return new Intrinsic(key, normalize(only.getValue()));
                }
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(String.valueOf(key), normalize(item)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(normalize(item)));
            return copy;
        }
        if (value instanceof Intrinsic intrinsic) {
            return new Intrinsic(intrinsic.function(), normalize(intrinsic.argument()));
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapOf(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static String stringOf(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static int intOf(Object value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            return number.intValue();
        }
        return Integer.parseInt(String.valueOf(value).trim());
    }

    /** SnakeYAML constructor that understands CloudFormation's short-form tags (!Ref, !GetAtt, !Sub, …). */
    private static final class CloudFormationConstructor extends SafeConstructor {

        private static final List<String> SHORT_FORMS = List.of("Ref", "Condition", "GetAtt", "Sub", "Join", "If",
                "Select", "Split", "Equals", "Not", "And", "Or", "FindInMap", "Base64", "Cidr", "ImportValue",
                "GetAZs", "Transform", "ToJsonString", "Length");

        CloudFormationConstructor(LoaderOptions options) {
            super(options);
            for (String name : SHORT_FORMS) {
                String function = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
                yamlConstructors.put(new Tag("!" + name), new IntrinsicConstruct(function));
            }
        }

        private final class IntrinsicConstruct extends AbstractConstruct {
            private final String function;

            IntrinsicConstruct(String function) {
                this.function = function;
            }

            @Override
            public Object construct(Node node) {
                Object argument = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new IllegalArgumentException("unexpected YAML node for " + function);
                };
                return new Intrinsic(function, argument);
            }
        }
    }
}
