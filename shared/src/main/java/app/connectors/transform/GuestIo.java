package app.connectors.transform;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import run.endive.runtime.HostFunction;
import run.endive.runtime.ImportValues;
import run.endive.runtime.Instance;
import run.endive.wasi.WasiOptions;
import run.endive.wasi.WasiPreview1;
import run.endive.wasm.types.FunctionType;
import run.endive.wasm.types.ValType;

/**
 * Everything the sandbox can reach outside itself, which is very little: WASI with no arguments,
 * no environment, no files and an empty stdin (stdout and stderr are capped buffers; stderr carries
 * the runtime's own error text), and one bridge function through which the prelude asks for the
 * run's input and hands back the console lines and the result. Nothing else is imported.
 */
final class GuestIo {

    /** What the guest sent over the bridge during one run. */
    interface Listener {
        /** The run's input as JSON text. */
        String input();

        void console(String line);

        /** The terminal report: {@code result}, {@code error}, {@code invalid}, {@code nohandler} or {@code checked}. */
        void report(String kind, String json);

        /** The most the bridge reads of one message; longer ones are reported as {@code toolarge}. */
        int maxMessageBytes();
    }

    private final CappedBuffer stdout;
    private final CappedBuffer stderr;
    private final WasiPreview1 wasi;
    private Listener listener;

    GuestIo(int maxStderrBytes) {
        this.stdout = new CappedBuffer(4 * 1024);
        this.stderr = new CappedBuffer(maxStderrBytes);
        this.wasi = WasiPreview1.builder()
                .withOptions(WasiOptions.builder().withStdin(java.io.InputStream.nullInputStream()).withStdout(stdout).withStderr(stderr).build())
                .build();
    }

    ImportValues imports() {
        HostFunction bridge = new HostFunction("endive", "invoke",
                FunctionType.of(List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32, ValType.I32, ValType.I32),
                        List.of(ValType.I32)),
                this::bridge);
        return ImportValues.builder().addFunction(wasi.toHostFunctions()).addFunction(bridge).build();
    }

    void begin(Listener listener) {
        this.listener = listener;
        stdout.reset();
        stderr.reset();
    }

    void end() {
        listener = null;
    }

    /** The runtime's error output of the current run (a trap's explanation). */
    String stderr() {
        return stderr.text();
    }

    private long[] bridge(Instance instance, long... args) {
        Listener current = listener;
        int nameLength = (int) args[3];
        String what = nameLength > 16 ? "" : instance.memory().readString((int) args[2], nameLength);
        int length = (int) args[5];
        String reply = "null";
        if (current != null) {
            if (length > current.maxMessageBytes()) {
                current.report("toolarge", Integer.toString(length));
            } else {
                String text = instance.memory().readString((int) args[4], length);
                switch (what) {
                    case "input" -> reply = current.input();
                    case "console" -> current.console(text);
                    default -> current.report(what, text);
                }
            }
        }
        return new long[] {writeReply(instance, reply.getBytes(StandardCharsets.UTF_8))};
    }

    /** Javy's convention: the reply is a (pointer, length) pair in guest memory, allocated by the guest. */
    private static int writeReply(Instance instance, byte[] reply) {
        var realloc = instance.export("cabi_realloc");
        int bytes = (int) realloc.apply(0, 0, 1, reply.length)[0];
        instance.memory().write(bytes, reply);
        int pair = (int) realloc.apply(0, 0, 1, 8)[0];
        instance.memory().writeI32(pair, bytes);
        instance.memory().writeI32(pair + 4, reply.length);
        return pair;
    }

    /** An output buffer that keeps its first {@code max} bytes and drops the rest. */
    private static final class CappedBuffer extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int max;

        CappedBuffer(int max) {
            this.max = max;
        }

        @Override
        public synchronized void write(int b) {
            if (bytes.size() < max) {
                bytes.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = Math.max(0, Math.min(len, max - bytes.size()));
            bytes.write(b, off, room);
        }

        synchronized void reset() {
            bytes.reset();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
