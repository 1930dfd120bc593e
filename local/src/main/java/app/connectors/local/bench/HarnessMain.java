package app.connectors.local.bench;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * How the harnesses' {@code main} methods start: results go to the real stdout, everything else
 * (library banners, the stack's logs) to stderr; options that do not parse print their message and
 * exit 2; otherwise the harness's exit code ends the JVM.
 *
 * <pre>{@code
 * public static void main(String[] args) throws Exception {
 *     HarnessMain.run(args, Options::parse, (options, out) -> new CostBenchmark(options, out).run());
 * }
 * }</pre>
 */
public final class HarnessMain {

    /** A harness run: its options and the stream for results; returns the exit code. */
    @FunctionalInterface
    public interface Harness<O> {
        int run(O options, PrintStream results) throws Exception;
    }

    private HarnessMain() {
    }

    public static <O> void run(String[] args, Function<String[], O> parse, Harness<O> harness) throws Exception {
        PrintStream results = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        O options;
        try {
            options = parse.apply(args);
        } catch (IllegalArgumentException e) {
            results.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(harness.run(options, results));
    }
}
