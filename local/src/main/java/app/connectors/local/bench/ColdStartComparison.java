package app.connectors.local.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@link FormatColdStart} with and without a transformation, each in a fresh JVM, several times
 * (interleaved, so a burst of load elsewhere on the machine hits both alike), and prints the median,
 * minimum and maximum of each figure. The difference of the medians is the cold start the JavaScript
 * engine adds to a connector's first delivery. Children run C1 only ({@code -XX:TieredStopAtLevel=1}), as Lambda
 * runs Java by default.
 *
 * <pre>
 * java -cp local/target/connectors-local.jar app.connectors.local.bench.ColdStartComparison --runs 9 --type segment
 * </pre>
 */
public final class ColdStartComparison {

    private static final Pattern FIELD = Pattern.compile("(\\w+)=([0-9.]+)");
    private static final String WITHOUT = "format only (built-in formatter)";
    private static final String WITH = "format + transform (default transformation)";

    private ColdStartComparison() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 7;
        String type = "segment";
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(value);
                case "--type" -> type = value;
                default -> throw new IllegalArgumentException("options: --runs N --type <a connector type with a default transformation>");
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        Map<String, Map<String, List<Double>>> figures = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            for (boolean transform : new boolean[] {false, true}) {
                List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-cp", classpath, FormatColdStart.class.getName(), type));
                if (transform) {
                    command.add("--transform");
                }
                Map<String, List<Double>> byField = figures.computeIfAbsent(transform ? WITH : WITHOUT, k -> new LinkedHashMap<>());
                Matcher m = FIELD.matcher(runOnce(command));
                while (m.find()) {
                    byField.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Double.parseDouble(m.group(2)));
                }
            }
        }
        System.out.printf("cold start, %d fresh JVMs per variant, type %s, java %s: median [min – max] in ms%n", runs, type,
                Runtime.version());
        for (var variant : figures.entrySet()) {
            System.out.println(variant.getKey() + ":");
            for (var field : variant.getValue().entrySet()) {
                if (field.getKey().equals("bytes")) {
                    continue;
                }
                double[] values = sorted(field.getValue());
                System.out.printf("  %-32s %9.2f  [%.2f – %.2f]%n", field.getKey(), median(values), values[0],
                        values[values.length - 1]);
            }
        }
        double with = median(sorted(figures.get(WITH).get("main_to_first_payload_ms")));
        double without = median(sorted(figures.get(WITHOUT).get("main_to_first_payload_ms")));
        System.out.printf("RESULT the engine adds %.1f ms to the first payload (median main-to-first-payload %.1f ms with, "
                + "%.1f ms without)%n", with - without, with, without);
    }

    private static String runOnce(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out;
        try (var in = process.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("a cold-start run did not finish within 60 s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("a cold-start run failed (exit " + process.exitValue() + "): " + command);
        }
        return Arrays.stream(out.split("\n")).filter(l -> l.startsWith("COLDSTART")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no COLDSTART line from " + command + ": " + out));
    }

    private static double[] sorted(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
