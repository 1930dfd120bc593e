package app.connectors.local.bench;

import app.connectors.local.LambdaJson;
import app.connectors.local.LocalContext;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One cold start, run in a fresh JVM by {@link ColdStartHarness}: builds the handler the way Lambda
 * does (its public no-arg constructor, reading the process environment), reads the event JSON into
 * the handler's input type, invokes it once (its Context reporting the function's Timeout as the
 * remaining time), writes the result as JSON and prints one line:
 * {@code FIRST_RESPONSE init_ms=… invoke_ms=… response=…}, then exits.
 *
 * <p>Its class path is the deployed artifact as Lambda lays it out (the functions' shaded jar,
 * unpacked into a folder, as {@code sam build} does) plus this class, {@link ColdStartHello},
 * {@link LambdaJson} and {@link LocalContext}, which need nothing but that artifact: the local
 * stack's own libraries are not there to be loaded or scanned.
 *
 * <pre>
 * java -XX:TieredStopAtLevel=1 -cp &lt;unpacked Lambda jar&gt;:&lt;runner classes&gt; \
 *     app.connectors.local.bench.ColdStartRun app.connectors.functions.CatalogHandler event.json 15 1024
 * </pre>
 */
public final class ColdStartRun {

    private ColdStartRun() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        Class<?> type = Class.forName(args[0]);
        Object handler = type.getDeclaredConstructor().newInstance();
        long built = System.nanoTime();
        Method method = handleRequest(type);
        String json = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8);
        Object input = LambdaJson.MAPPER.readValue(json,
                LambdaJson.MAPPER.getTypeFactory().constructType(method.getGenericParameterTypes()[0]));
        Object result;
        try {
            // The function's Timeout as the remaining time, as Lambda's Context reports at an invocation's start
            // (the dispatcher starts no attempt when less than its reserve remains).
            result = method.invoke(handler, input, LocalContext.forInvocation(type.getSimpleName(), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3])));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        String response = LambdaJson.MAPPER.writeValueAsString(result);
        long answered = System.nanoTime();
        // CPU time of every thread so far (JIT and GC included): less disturbed than wall time by a busy machine.
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        System.out.printf("FIRST_RESPONSE init_ms=%.1f invoke_ms=%.1f cpu_ms=%.1f response=%s%n", (built - started) / 1e6,
                (answered - built) / 1e6, cpu / 1e6, response.replace('\n', ' '));
        System.out.flush();
        // Lambda freezes the environment after the response; here the JVM ends (SDK threads are not waited for).
        System.exit(0);
    }

    /** {@code handleRequest(input, Context)} as the RequestHandler interface declares it (not a bridge method). */
    private static Method handleRequest(Class<?> type) {
        for (Method method : type.getMethods()) {
            if (method.getName().equals("handleRequest") && method.getParameterCount() == 2 && !method.isBridge()
                    && !Modifier.isStatic(method.getModifiers())) {
                return method;
            }
        }
        throw new IllegalArgumentException(type.getName() + " has no handleRequest(input, Context)");
    }
}
