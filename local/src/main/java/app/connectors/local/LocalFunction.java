package app.connectors.local;

import app.connectors.trace.TraceHeader;
import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JavaType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One function of the template as a warm Lambda execution environment: the handler object is built
 * once, with the function's environment, and invoked in-process for every event. Invocations may run
 * concurrently (the gateway serves requests on a pool), so handlers must be thread-safe, as they
 * already are when they keep SDK clients in fields.
 *
 * <p>The handler class needs a public constructor taking {@code Map<String, String>} (the
 * environment); a public no-arg constructor is used as a fallback, with a warning, because such a
 * handler would read the process environment instead of the function's.
 *
 * <pre>{@code
 * LocalFunction accounts = LocalFunction.create(template.function("AccountsFunction").orElseThrow(), env);
 * Object result = accounts.invokeJson("{\"userId\":\"u1\",\"tier\":\"pro\"}");
 * }</pre>
 */
public final class LocalFunction {

    private static final Logger LOG = LoggerFactory.getLogger(LocalFunction.class);

    private final TemplateModel.Function definition;
    private final Map<String, String> environment;
    private final Object handler;
    private final Method method;
    private final boolean streaming;
    private final LocalTracing tracing;

    private LocalFunction(TemplateModel.Function definition, Map<String, String> environment, Object handler) {
        this.definition = definition;
        this.environment = Map.copyOf(environment);
        this.tracing = LocalTracing.from(this.environment);
        this.handler = handler;
        this.method = handlerMethod(handler.getClass(), definition.handlerMethod());
        Class<?>[] parameters = method.getParameterTypes();
        this.streaming = parameters.length == 3 && parameters[0] == InputStream.class && parameters[1] == OutputStream.class;
    }

    /** The event JSON cannot be read as the handler's input type (a caller's mistake, not the handler's). */
    public static final class EventMismatchException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        EventMismatchException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Builds the handler from its class name in the template, with the function's environment. */
    public static LocalFunction create(TemplateModel.Function definition, Map<String, String> environment) {
        return new LocalFunction(definition, environment, instantiate(definition, environment));
    }

    /** Uses a handler built by the caller (tests with fakes); it is invoked exactly like a template-built one. */
    public static LocalFunction create(TemplateModel.Function definition, Map<String, String> environment,
            Function<Map<String, String>, Object> factory) {
        Object handler = factory.apply(Map.copyOf(environment));
        if (handler == null) {
            throw new IllegalArgumentException("handler factory for " + definition.logicalId() + " returned null");
        }
        return new LocalFunction(definition, environment, handler);
    }

    public String logicalId() {
        return definition.logicalId();
    }

    public TemplateModel.Function definition() {
        return definition;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public Object handler() {
        return handler;
    }

    /** The declared type of the handler's input (e.g. {@code SQSEvent}, {@code Map<String, Object>}). */
    public Type inputType() {
        return streaming ? InputStream.class : method.getGenericParameterTypes()[0];
    }

    /** Converts JSON into the handler's input type (property names matched without regard to case) and invokes it. */
    public Object invokeJson(String json) {
        if (streaming) {
            return invoke(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        }
        JavaType type = LambdaJson.MAPPER.getTypeFactory().constructType(inputType());
        Object input;
        try {
            input = LambdaJson.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new EventMismatchException("the event does not fit " + type + ": " + e.getMessage(), e);
        }
        return invoke(input);
    }

    /**
     * Invokes the handler with an input of its type. Whatever the handler throws is rethrown as is
     * (checked exceptions wrapped), so callers can tell "Unauthorized" and the like apart.
     */
    public Object invoke(Object input) {
        TraceHeader trace = tracing.start();
        LocalContext context = LocalContext.forInvocation(definition.logicalId(), definition.timeoutSeconds(),
                definition.memorySizeMb(), trace == null ? null : trace.format());
        long started = System.nanoTime();
        Instant startedAt = tracing.now();
        boolean failed = true;
        try {
            if (streaming) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                method.invoke(handler, input, out, context);
                failed = false;
                return out.toString(StandardCharsets.UTF_8);
            }
            Object result = method.getParameterCount() == 1 ? method.invoke(handler, input) : method.invoke(handler, input, context);
            failed = false;
            return result;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(definition.logicalId() + " threw " + cause, cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + method, e);
        } finally {
            tracing.finish(definition.logicalId(), trace, startedAt, failed);
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (millis > definition.timeoutSeconds() * 1000L) {
                // Lambda would have stopped this invocation; locally it ran to the end.
                LOG.warn("{} took {} ms, over its Timeout of {} s: on AWS it would have timed out",
                        definition.logicalId(), millis, definition.timeoutSeconds());
            }
        }
    }

    private static Object instantiate(TemplateModel.Function definition, Map<String, String> environment) {
        Class<?> type;
        try {
            type = Class.forName(definition.handlerClass(), true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("handler class " + definition.handlerClass() + " of "
                    + definition.logicalId() + " is not on the classpath", e);
        }
        try {
            try {
                Constructor<?> withEnvironment = type.getConstructor(Map.class);
                return withEnvironment.newInstance(Map.copyOf(environment));
            } catch (NoSuchMethodException e) {
                LOG.warn("{} has no public ({}) constructor taking Map<String, String>: it is built with its no-arg "
                        + "constructor and will not see the local environment", definition.logicalId(), type.getName());
                return type.getConstructor().newInstance();
            }
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("constructing " + type.getName() + " for " + definition.logicalId()
                    + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName() + " for " + definition.logicalId(), e);
        }
    }

    /** The handler method: (input, Context), (input), or the stream form (InputStream, OutputStream, Context). */
    private static Method handlerMethod(Class<?> type, String name) {
        return Arrays.stream(type.getMethods())
                .filter(method -> method.getName().equals(name) && !method.isBridge() && !method.isSynthetic())
                .filter(method -> !Modifier.isStatic(method.getModifiers()))
                .filter(method -> switch (method.getParameterCount()) {
                    case 1 -> true;
                    case 2 -> method.getParameterTypes()[1] == Context.class;
                    case 3 -> method.getParameterTypes()[2] == Context.class;
                    default -> false;
                })
                // Prefer the most specific input type when a class overloads the method.
                .min(Comparator.comparing((Method method) -> method.getParameterTypes()[0] == Object.class)
                        .thenComparing(method -> -method.getParameterCount()))
                .orElseThrow(() -> new IllegalStateException(type.getName() + " has no public handler method " + name
                        + "(input, Context)"));
    }
}
