package app.connectors.local.bench;

import app.connectors.event.Event;
import app.connectors.event.EventParser;
import app.connectors.format.Formatters;
import app.connectors.format.PayloadFormatter;
import app.connectors.json.Json;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * {@link FormatBenchmark}'s work (format + serialize one event) counted against the thread's CPU
 * time instead of the wall clock: events per CPU-second is the per-core rate even on a machine
 * whose other processes take most of the cores, where JMH's wall-clock figures only say how much
 * of a core the benchmark got. Each case warms up for 2 CPU-seconds, then reports the median of 5
 * rounds of 1 CPU-second. Single-threaded.
 *
 * <pre>{@code
 * java -cp local/target/connectors-local.jar app.connectors.local.bench.FormatCpuRate
 * }</pre>
 */
public final class FormatCpuRate {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long SECOND = 1_000_000_000L;
    private static volatile int sink;

    private FormatCpuRate() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("event    format    events per CPU-second (median of 5 × 1 CPU-s; min–max)");
        for (String event : List.of("catalog", "numbers")) {
            Event parsed = EventParser.standard().parse(FormatBenchmark.envelope(event));
            for (String format : List.of("slack", "discord", "teams", "zapier", "generic", "data")) {
                PayloadFormatter formatter = Formatters.find(format).orElseThrow();
                rate(formatter, parsed, 2 * SECOND);
                double[] rounds = new double[5];
                for (int i = 0; i < rounds.length; i++) {
                    rounds[i] = rate(formatter, parsed, SECOND);
                }
                java.util.Arrays.sort(rounds);
                System.out.printf("%-8s %-9s %,10.0f  (%,.0f–%,.0f)%n", event, format, rounds[2], rounds[0], rounds[4]);
            }
        }
    }

    /** Events formatted and serialized per CPU-second of this thread, over about {@code cpuNanos}. */
    private static double rate(PayloadFormatter formatter, Event event, long cpuNanos) {
        long start = THREADS.getCurrentThreadCpuTime();
        long ops = 0;
        long used;
        do {
            for (int i = 0; i < 1_000; i++) {
                sink += Json.writeBytes(formatter.format(event)).length;
            }
            ops += 1_000;
            used = THREADS.getCurrentThreadCpuTime() - start;
        } while (used < cpuNanos);
        return ops * (double) SECOND / used;
    }
}
