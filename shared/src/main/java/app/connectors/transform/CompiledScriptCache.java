package app.connectors.transform;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Compiled transformations by source, least recently used first out. Compiling costs a few hundred
 * microseconds, more than a whole run of a typical handler, and the same few sources run over and
 * over, so each distinct source is compiled once per execution environment. The bytecode is plain
 * bytes, copied into each run's fresh sandbox: nothing of one run's state is kept here.
 * The key is the source text itself: its hash is computed once per String and equality is a
 * plain comparison, which is cheaper per run than a cryptographic digest of the source.
 */
final class CompiledScriptCache {

    /** A source either compiles to QuickJS bytecode or has a problem that is its own (not a budget it ran out of); both are remembered. */
    record Compiled(byte[] bytecode, SourceProblem problem) {
    }

    private final Map<String, Compiled> entries;

    CompiledScriptCache(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Compiles outside the lock: two threads may compile the same new source once each, which is harmless. */
    Compiled get(String source, Function<String, Compiled> compiler) {
        Compiled found;
        synchronized (entries) {
            found = entries.get(source);
        }
        if (found != null) {
            return found;
        }
        Compiled compiled = compiler.apply(source);
        if (compiled.bytecode() != null || compiled.problem().kind() == FailureKind.SYNTAX
                || compiled.problem().kind() == FailureKind.SOURCE_TOO_LARGE) {
            synchronized (entries) {
                entries.putIfAbsent(source, compiled);
            }
        }
        return compiled;
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
