package app.connectors.local.bench;

import app.connectors.trace.Subsegment;
import app.connectors.trace.TraceContext;
import app.connectors.trace.TraceHeader;
import app.connectors.trace.Tracer;
import app.connectors.trace.XRayDaemon;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the emitter costs each traced call once warm: a subsegment begun and ended (the SDK
 * interceptor's and the sender's whole work) when the invocation has no trace header, when its trace
 * is not sampled, and when it is (the document built and sent over UDP to a socket on 127.0.0.1 that
 * nobody reads: the kernel drops what overflows, as it would for a daemon that is gone).
 *
 * <pre>{@code
 * java -cp local/target/connectors-local.jar org.openjdk.jmh.Main TracingBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TracingBenchmark {

    private DatagramChannel sink;
    private Tracer tracer;
    private TraceHeader sampled;
    private TraceHeader unsampled;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        sink = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        tracer = Tracer.to(XRayDaemon.at("127.0.0.1:" + ((InetSocketAddress) sink.getLocalAddress()).getPort()),
                Clock.systemUTC());
        sampled = TraceHeader.newTrace(System.currentTimeMillis() / 1000, TraceHeader.newId());
        unsampled = new TraceHeader(sampled.root(), sampled.parent(), false);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        sink.close();
    }

    @Benchmark
    public boolean noTraceHeader() {
        return record();
    }

    @Benchmark
    public boolean unsampledTrace() {
        try (TraceContext.Scope invocation = TraceContext.enter(unsampled)) {
            return record();
        }
    }

    @Benchmark
    public boolean sampledTrace() {
        try (TraceContext.Scope invocation = TraceContext.enter(sampled)) {
            return record();
        }
    }

    /** What AwsCallTracing does for one GetItem. */
    private boolean record() {
        Subsegment call = tracer.begin("DynamoDB", Subsegment.Namespace.AWS);
        if (call.recorded()) {
            call.aws("operation", "GetItem").aws("region", "us-east-1").aws("table_name", "connectors-users")
                    .aws("request_id", "3KJ2N4P6Q8R0S2T4V6X8Z0B2D4F6H8J0").status(200).aws("retries", 0);
        }
        call.end();
        return call.recorded();
    }
}
