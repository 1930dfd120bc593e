package app.connectors.transform;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Compiled transformations by source, least recently used first out. Compiling costs a few hundred
 * microseconds, more than a whole run of a typical handler, and the same few sources run over and
 * over, so each distinct source is compiled once per execution environment. The bytecode is plain
 * bytes, copied into each run's fresh sandbox: nothing of one run's state is kept here.
 *
 * <p>Bounded by entries and by bytes: a short source can compile to far more bytecode than its own
 * size ({@code /\p{L}/iu}, 9 characters, is ~7.5 KB of bytecode), so a count alone would let a
 * tenant who saves many such sources make the host keep hundreds of megabytes after every run has
 * ended. What is kept counts the bytecode and the source (the key) in UTF-16 bytes.
 * The key is the source text itself: its hash is computed once per String and equality is a
 * plain comparison, which is cheaper per run than a cryptographic digest of the source.
 */
final class CompiledScriptCache {

    /** A source either compiles to QuickJS bytecode or has a problem that is its own (not a budget it ran out of); both are remembered. */
    record Compiled(byte[] bytecode, SourceProblem problem) {
    }

    private final int maxEntries;
    private final long maxBytes;
    private final Map<String, Compiled> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    CompiledScriptCache(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
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
            put(source, compiled);
        }
        return compiled;
    }

    /** Entries kept. */
    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** Bytes kept, as counted against the bound: every entry's bytecode and source. */
    long bytes() {
        synchronized (entries) {
            return bytes;
        }
    }

    private void put(String source, Compiled compiled) {
        long weight = weight(source, compiled);
        if (weight > maxBytes) {
            return; // larger than the whole cache: compiled again on each use, never kept
        }
        synchronized (entries) {
            if (entries.putIfAbsent(source, compiled) != null) {
                return;
            }
            bytes += weight;
            Iterator<Map.Entry<String, Compiled>> eldest = entries.entrySet().iterator();
            while ((bytes > maxBytes || entries.size() > maxEntries) && eldest.hasNext()) {
                Map.Entry<String, Compiled> entry = eldest.next();
                bytes -= weight(entry.getKey(), entry.getValue());
                eldest.remove();
            }
        }
    }

    private static long weight(String source, Compiled compiled) {
        return 2L * source.length() + (compiled.bytecode() == null ? 0 : compiled.bytecode().length);
    }
}
