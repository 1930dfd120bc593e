package app.connectors.local;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * Where a command reads and writes: {@code out} for results only, {@code err} for everything a
 * person reads (progress, warnings, errors), {@code in} for answers to questions.
 */
record Terminal(InputStream in, PrintStream out, PrintStream err) {
}
