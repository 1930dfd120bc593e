package app.connectors.local.bench;

import app.connectors.trace.AwsCallTracing;
import app.connectors.trace.TraceContext;
import app.connectors.trace.TraceHeader;
import app.connectors.trace.Tracer;
import app.connectors.trace.XRayDaemon;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.instrumentation.awssdk.v2_2.AwsSdkTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What tracing the first AWS call of an execution environment costs: fresh JVMs (C1 only, as on
 * Lambda) that each build a DynamoDB client (as {@code AwsClients} does: URLConnection HTTP client,
 * static credentials, an endpoint) and make one GetItem in a sampled invocation, with no tracing,
 * with this project's emitter ({@link AwsCallTracing}), with the X-Ray SDK's AWS SDK v2 interceptor
 * (its recorder in Lambda mode: {@code LAMBDA_TASK_ROOT} and {@code _X_AMZN_TRACE_ID} set, the
 * subsegment sent to the daemon when it ends), or with OpenTelemetry's SDK and AWS SDK instrumentation
 * exporting the span over OTLP/HTTP (flushed, as a Lambda must before it returns). The endpoint, the
 * UDP daemon and the OTLP sink are stand-ins started in the child before the clock, and one untraced
 * call is made before it too (the SDK's own start-up, which every function pays anyway, is left out);
 * the clock runs from building the traced client to the trace handed over (datagram sent, or export
 * answered), so the figure over "none" is what tracing adds to a cold start. Each traced
 * child checks afterwards that its trace did arrive, so a mode that silently traced nothing fails.
 *
 * <pre>
 * java -cp local/target/connectors-local.jar app.connectors.local.bench.TracingColdStart --runs 9
 * </pre>
 */
public final class TracingColdStart {

    private static final List<String> MODES = List.of("none", "own", "xray-sdk", "otel");
    private static final String TRACE_HEADER = "Root=1-6750a8c0-5f1e2d3c4b5a69788796a5b4;Parent=53995c3f42cd8ad8;Sampled=1";

    private TracingColdStart() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--emit")) {
            emit(args[1]);
            return;
        }
        int runs = args.length == 2 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 9;
        // What Lambda sets for an invocation with active tracing (the X-Ray SDK reads both from the environment).
        new FreshJvmComparison(TracingColdStart.class, MODES, Map.of("LAMBDA_TASK_ROOT", "/tmp",
                "_X_AMZN_TRACE_ID", TRACE_HEADER, "AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR"))
                .run(runs, "first traced DynamoDB call after an untraced one, ms from building the client to the trace handed over");
    }

    /** In the child JVM: one GetItem the chosen way, the elapsed time on its own last line. */
    private static void emit(String mode) throws Exception {
        app.connectors.json.Json.write(app.connectors.json.Json.object().put("warm", true));
        HttpServer dynamoDb = answering("{}", new AtomicInteger(), "application/x-amz-json-1.0");
        AtomicInteger exports = new AtomicInteger();
        HttpServer otlp = answering("", exports, "application/x-protobuf");
        DatagramSocket daemon = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        String daemonAddress = "127.0.0.1:" + daemon.getLocalPort();
        System.setProperty("com.amazonaws.xray.emitters.daemonAddress", daemonAddress);
        URI endpoint = URI.create("http://127.0.0.1:" + dynamoDb.getAddress().getPort());
        PrintStream out = System.out;
        // Every function has made AWS calls before (a cold start reads its connector): the SDK's own
        // start-up is paid here, before the clock, in every mode alike.
        call(endpoint, null);

        long start = System.nanoTime();
        switch (mode) {
            case "none" -> call(endpoint, null);
            case "own" -> {
                Tracer tracer = Tracer.fromEnvironment(Map.of(XRayDaemon.ADDRESS_VARIABLE, daemonAddress));
                try (TraceContext.Scope invocation = TraceContext.enter(TraceHeader.parse(System.getenv("_X_AMZN_TRACE_ID")).orElseThrow())) {
                    call(endpoint, new AwsCallTracing(tracer));
                }
            }
            case "xray-sdk" -> call(endpoint, new com.amazonaws.xray.interceptors.TracingInterceptor());
            case "otel" -> {
                SdkTracerProvider provider = SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder()
                                .setEndpoint("http://127.0.0.1:" + otlp.getAddress().getPort() + "/v1/traces").build()))
                        .build();
                OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
                // The invocation's span, as a Lambda wrapper opens it; the SDK call's span is its child.
                Span invocation = openTelemetry.getTracer("bench").spanBuilder("invocation").startSpan();
                try (Scope current = invocation.makeCurrent()) {
                    call(endpoint, AwsSdkTelemetry.create(openTelemetry).createExecutionInterceptor());
                }
                provider.forceFlush().join(30, TimeUnit.SECONDS);
            }
            default -> throw new IllegalArgumentException("mode: " + MODES);
        }
        double millis = (System.nanoTime() - start) / 1e6;

        // Outside the clock: the trace did arrive.
        switch (mode) {
            case "own", "xray-sdk" -> {
                daemon.setSoTimeout(10_000);
                DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
                daemon.receive(packet);
                String datagram = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                if (!datagram.contains("\"subsegment\"") || !datagram.contains("GetItem")) {
                    throw new IllegalStateException(mode + " sent something else than the call's subsegment: " + datagram);
                }
            }
            case "otel" -> {
                if (exports.get() == 0) {
                    throw new IllegalStateException("otel exported no span");
                }
            }
            default -> {
            }
        }
        dynamoDb.stop(0);
        otlp.stop(0);
        out.println("ms=" + millis);
        out.flush();
        System.exit(0); // the X-Ray SDK and OpenTelemetry leave non-daemon threads behind
    }

    private static void call(URI endpoint, ExecutionInterceptor tracing) {
        try (DynamoDbClient client = DynamoDbClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint)
                .overrideConfiguration(o -> {
                    if (tracing != null) {
                        o.addExecutionInterceptor(tracing);
                    }
                })
                .build()) {
            client.getItem(r -> r.tableName("connectors-users").key(Map.of("pk", AttributeValue.fromS("u1"))));
        }
    }

    /** A local HTTP endpoint answering 200 with {@code body} to every request, counting them. */
    private static HttpServer answering(String body, AtomicInteger requests, String contentType) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
        return server;
    }
}
