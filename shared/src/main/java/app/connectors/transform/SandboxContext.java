package app.connectors.transform;

import java.util.function.Consumer;
import org.mozilla.javascript.CompilerEnvirons;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ContextFactory;
import org.mozilla.javascript.ErrorReporter;
import org.mozilla.javascript.Evaluator;
import org.mozilla.javascript.Scriptable;

/** A Rhino context that carries the budget of the run in progress on its thread. */
final class SandboxContext extends Context {

    private RunState run;

    SandboxContext(ContextFactory factory) {
        super(factory);
    }

    void begin(RunState state) {
        this.run = state;
    }

    RunState run() {
        return run;
    }

    void end() {
        this.run = null;
    }

    /**
     * Every compilation passes here, including {@code eval} and {@code new Function} inside a run.
     * Those stay in the sandbox (same scope, same observer, same class shutter), but compiling is
     * not observed by the instruction counter, so code built at run time is capped like saved
     * code and the budget is checked as soon as the compiler returns.
     */
    @Override
    protected Object compileImpl(Scriptable scope, String sourceString, String sourceName, int lineno,
                                 Object securityDomain, boolean returnFunction, Evaluator compiler,
                                 ErrorReporter compilationErrorReporter, Consumer<CompilerEnvirons> compilerEnvironsProcessor) {
        RunState state = run;
        if (state != null && sourceString != null && sourceString.length() > state.maxRuntimeSourceChars()) {
            throw new SandboxViolation(FailureKind.SOURCE_TOO_LARGE,
                    "code passed to eval or Function is larger than " + state.maxRuntimeSourceChars() + " characters");
        }
        Object compiled = super.compileImpl(scope, sourceString, sourceName, lineno, securityDomain, returnFunction,
                compiler, compilationErrorReporter, compilerEnvironsProcessor);
        if (state != null) {
            state.checkLimits();
        }
        return compiled;
    }
}
