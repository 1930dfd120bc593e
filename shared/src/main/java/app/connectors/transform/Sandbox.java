package app.connectors.transform;

import run.endive.runtime.WasmInterruptedException;

/**
 * One sandbox: a QuickJS instance of its own, put back into the pristine image before every use.
 * Confined to one worker thread. An instance whose memory grew, or that trapped, is dropped and a
 * new one is made from the image, so nothing of a run outlives it, not even memory pages.
 */
final class Sandbox {

    /** How one evaluation ended: the guest's report, a stop by the watchdog, or a trap. */
    record Ending(String report, String json, String stopped, Throwable trap, String stderr) {
    }

    private final SandboxImage image;
    private final GuestIo io = new GuestIo(16 * 1024);
    private Guest guest;

    Sandbox(SandboxImage image) {
        this.image = image;
    }

    /** Compiles in a pristine instance; a syntax error (or a stop) comes back as text to classify. */
    Guest.Compiled compile(String source) {
        Guest pristine = pristine();
        io.begin(null);
        try {
            Guest.Compiled compiled = pristine.compile(source);
            if (compiled.bytecode() == null) {
                guest = null; // it trapped
            }
            return compiled;
        } catch (RuntimeException | StackOverflowError e) {
            guest = null;
            throw e;
        } finally {
            io.end();
        }
    }

    /** Evaluates compiled transformation code in a pristine instance, the listener serving the bridge. */
    Ending evaluate(byte[] bytecode, RunIo listener) {
        Guest pristine = pristine();
        io.begin(listener);
        try {
            pristine.eval(bytecode);
            return new Ending(listener.report(), listener.reportJson(), null, null, null);
        } catch (WasmInterruptedException e) {
            guest = null;
            return new Ending(listener.report(), listener.reportJson(), "interrupted", e, io.stderr());
        } catch (RuntimeException | StackOverflowError e) {
            // A trap: the runtime's own error exit (an uncaught error at top level, an allocation it
            // could not make), or the WebAssembly runtime refusing a deeper call. The instance is spent.
            guest = null;
            return new Ending(listener.report(), listener.reportJson(), null, e, io.stderr());
        } finally {
            io.end();
            if (guest != null && guest.instance().memory().pages() != image.pages()) {
                guest = null; // grown past the image: drop its pages now rather than keep them until the next run
            }
        }
    }

    private Guest pristine() {
        if (guest == null || !image.reset(guest.instance())) {
            guest = new Guest(image.restoreInto(io), io);
        }
        return guest;
    }
}
