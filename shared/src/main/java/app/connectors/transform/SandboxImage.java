package app.connectors.transform;

import io.roastedroot.quickjs4j.core.JavyPluginModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import run.endive.runtime.ByteArrayMemory;
import run.endive.runtime.Instance;
import run.endive.wasm.WasmModule;
import run.endive.wasm.types.MemoryLimits;
import run.endive.wasm.types.MutabilityType;

/**
 * The QuickJS runtime compiled to WebAssembly, initialised once, and the image of its memory and
 * globals taken right after: every run restores this image into its own instance, so every run
 * starts from the same pristine realm and nothing one run does can reach another.
 *
 * <p>The runtime is QuickJS as Javy builds it, compiled ahead of time from WebAssembly to JVM
 * bytecode (io.roastedroot:quickjs4j); the WebAssembly runtime is run.endive (formerly Chicory).
 * Its memory is a bounded, paged byte array: a run can never grow it past {@code maxPages}.
 */
final class SandboxImage {

    private final WasmModule module;
    private final byte[] memory;
    private final long[] globals;
    private final boolean[] mutable;
    private final int maxPages;

    private SandboxImage(WasmModule module, byte[] memory, long[] globals, boolean[] mutable, int maxPages) {
        this.module = module;
        this.memory = memory;
        this.globals = globals;
        this.mutable = mutable;
        this.maxPages = maxPages;
    }

    /** Instantiates the runtime, runs its initialisation and the prelude, and takes the image. */
    static SandboxImage build(int maxPages) {
        WasmModule module = JavyPluginModule.load();
        int initialPages = module.memorySection().orElseThrow().getMemory(0).limits().initialPages();
        if (maxPages <= initialPages + 16) {
            throw new IllegalArgumentException("the memory cap must leave room above the runtime's own "
                    + initialPages * TransformLimits.PAGE + " bytes");
        }
        GuestIo io = new GuestIo(64 * 1024);
        Instance instance = instantiate(module, maxPages, io);
        instance.export("initialize_runtime").apply();
        Guest guest = new Guest(instance, io);
        Guest.Compiled prelude = guest.compile(prelude());
        if (prelude.bytecode() == null) {
            throw new IllegalStateException("the sandbox prelude does not compile: " + prelude.error());
        }
        guest.eval(prelude.bytecode());
        int count = module.globalSection().globalCount();
        long[] globals = new long[count];
        boolean[] mutable = new boolean[count];
        for (int i = 0; i < count; i++) {
            globals[i] = instance.global(i).getValue();
            mutable[i] = module.globalSection().getGlobal(i).mutabilityType() == MutabilityType.Var;
        }
        byte[] memory = instance.memory().readBytes(0, instance.memory().pages() * TransformLimits.PAGE);
        return new SandboxImage(module, memory, globals, mutable, maxPages);
    }

    /** A new instance in the image's state, with its own memory, capped at {@code maxPages}. */
    Instance restoreInto(GuestIo io) {
        Instance instance = instantiate(module, maxPages, io);
        int needed = memory.length / TransformLimits.PAGE - instance.memory().pages();
        if (needed > 0 && instance.memory().grow(needed) < 0) {
            throw new IllegalStateException("cannot size a sandbox memory to the image");
        }
        reset(instance);
        return instance;
    }

    /** Puts an instance back into the image's state; false when it cannot be (its memory grew). */
    boolean reset(Instance instance) {
        if (instance.memory().pages() != pages()) {
            return false;
        }
        instance.memory().write(0, memory);
        for (int i = 0; i < globals.length; i++) {
            if (mutable[i]) {
                instance.global(i).setValue(globals[i]);
            }
        }
        return true;
    }

    int pages() {
        return memory.length / TransformLimits.PAGE;
    }

    private static Instance instantiate(WasmModule module, int maxPages, GuestIo io) {
        int initialPages = module.memorySection().orElseThrow().getMemory(0).limits().initialPages();
        return Instance.builder(module)
                .withMachineFactory(JavyPluginModule::create)
                .withMemoryLimits(new MemoryLimits(initialPages, maxPages))
                .withMemoryFactory(ByteArrayMemory::new)
                .withImportValues(io.imports())
                .build();
    }

    private static String prelude() {
        try (InputStream in = SandboxImage.class.getResourceAsStream("sandbox-prelude.js")) {
            if (in == null) {
                throw new IllegalStateException("sandbox-prelude.js is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
