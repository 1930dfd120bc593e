package app.connectors.local.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one measurement in fresh JVMs (C1 only, {@code -XX:TieredStopAtLevel=1}, as on Lambda), once
 * per mode per round with the rounds interleaved (so a burst of load elsewhere hits every mode alike),
 * and prints each mode's median, min and max against the first mode's median. A child is this class
 * path's {@code main} with {@code --emit <mode>}; its last line of output must be {@code ms=<figure>},
 * and a child that fails or prints no figure stops the comparison (a mode that broke would look fast).
 *
 * <pre>{@code
 * new FreshJvmComparison(MetricsColdStart.class, List.of("plain", "own", "powertools"), Map.of())
 *         .run(9, "first metric line written, ms after the JSON mapper is ready");
 * }</pre>
 */
final class FreshJvmComparison {

    private final Class<?> main;
    private final List<String> modes;
    private final Map<String, String> environment;

    /**
     * @param modes       the first is the baseline the others are set against
     * @param environment added to each child's environment
     */
    FreshJvmComparison(Class<?> main, List<String> modes, Map<String, String> environment) {
        this.main = main;
        this.modes = List.copyOf(modes);
        this.environment = Map.copyOf(environment);
    }

    /** Runs {@code runs} rounds and prints the table under {@code title}. */
    void run(int runs, String title) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            for (String mode : modes) {
                ProcessBuilder builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", classpath,
                        main.getName(), "--emit", mode).redirectError(ProcessBuilder.Redirect.DISCARD);
                builder.environment().putAll(environment);
                Process process = builder.start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0 || !out.contains("ms=")) {
                    process.destroyForcibly();
                    throw new IOException(mode + " did not finish (run it alone: java -cp … " + main.getName()
                            + " --emit " + mode + ")");
                }
                String last = out.strip().lines().reduce((a, b) -> b).orElseThrow();
                millis.computeIfAbsent(mode, k -> new ArrayList<>()).add(Double.parseDouble(last.substring(last.indexOf('=') + 1)));
            }
        }
        String baseline = modes.getFirst();
        double base = median(millis.get(baseline));
        System.out.printf("%s (median of %d fresh JVMs, -XX:TieredStopAtLevel=1)%n", title, runs);
        for (String mode : modes) {
            List<Double> values = millis.get(mode);
            double median = median(values);
            System.out.printf("  %-13s median %7.1f  min %7.1f  max %7.1f  over %s %+7.1f ms%n", mode, median,
                    values.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    values.stream().mapToDouble(Double::doubleValue).max().orElse(0), baseline, median - base);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
