package app.connectors.transform;

import java.nio.charset.StandardCharsets;
import run.endive.runtime.ExportFunction;
import run.endive.runtime.Instance;
import run.endive.runtime.TrapException;

/** The two things the runtime does for us: compile JavaScript to QuickJS bytecode, and evaluate bytecode. */
final class Guest {

    /** Bytecode, or the runtime's explanation of why the source does not compile. */
    record Compiled(byte[] bytecode, String error) {
    }

    private final Instance instance;
    private final GuestIo io;
    private final ExportFunction realloc;
    private final ExportFunction compile;
    private final ExportFunction eval;

    Guest(Instance instance, GuestIo io) {
        this.instance = instance;
        this.io = io;
        this.realloc = instance.export("cabi_realloc");
        this.compile = instance.export("compileSrc");
        this.eval = instance.export("eval");
    }

    Instance instance() {
        return instance;
    }

    /** Compiles source (as a module, so in strict mode); a syntax error comes back as the runtime's text. */
    Compiled compile(String source) {
        byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        int at = write(bytes);
        int pair;
        try {
            pair = (int) compile.apply(at, bytes.length)[0];
        } catch (TrapException e) {
            // The runtime reports a syntax error by printing it and trapping.
            return new Compiled(null, io.stderr());
        }
        return new Compiled(instance.memory().readBytes(instance.memory().readInt(pair), instance.memory().readInt(pair + 4)), null);
    }

    /** Evaluates bytecode and then runs the job queue (promise reactions) to its end. */
    void eval(byte[] bytecode) {
        int at = write(bytecode);
        eval.apply(at, bytecode.length, 0, 0);
    }

    private int write(byte[] bytes) {
        int at = (int) realloc.apply(0, 0, 1, bytes.length)[0];
        instance.memory().write(at, bytes);
        return at;
    }
}
