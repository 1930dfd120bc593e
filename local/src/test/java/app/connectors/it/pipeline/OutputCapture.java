package app.connectors.it.pipeline;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the functions write to standard output (EMF metric lines) and standard error (log lines) while
 * it is open, still passed on to the real streams. The lines that are JSON objects are parsed.
 *
 * <pre>{@code
 * try (OutputCapture output = OutputCapture.start()) {
 *     ...
 *     List<JsonNode> lines = output.jsonLines();
 * }
 * }</pre>
 */
final class OutputCapture implements AutoCloseable {

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private OutputCapture() {
        System.setOut(new PrintStream(new Tee(out, captured), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, captured), true, StandardCharsets.UTF_8));
    }

    static OutputCapture start() {
        return new OutputCapture();
    }

    /** Every line so far that is a JSON object. */
    List<JsonNode> jsonLines() {
        String text;
        synchronized (captured) {
            text = captured.toString(StandardCharsets.UTF_8);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("{")) {
                try {
                    lines.add(Json.MAPPER.readTree(line));
                } catch (Exception notJson) {
                    // a line cut by another thread's write, or not ours
                }
            }
        }
        return lines;
    }

    @Override
    public void close() {
        System.setOut(out);
        System.setErr(err);
    }

    /** Writes to the real stream and to the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream real;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream real, ByteArrayOutputStream copy) {
            this.real = real;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            synchronized (copy) {
                copy.write(bytes, offset, length);
            }
            synchronized (real) {
                try {
                    real.write(bytes, offset, length);
                } catch (java.io.IOException e) {
                    // the real stream is best effort
                }
            }
        }
    }
}
