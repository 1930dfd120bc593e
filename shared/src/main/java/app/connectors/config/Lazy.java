package app.connectors.config;

import java.util.function.Supplier;

/**
 * A value built on first use, once, thread-safely. Handlers hold the parts only some of their
 * routes need this way, so a cold start builds what the first request uses and nothing else (a
 * SnapStart priming run builds the rest before the snapshot).
 *
 * <pre>{@code
 * private final Lazy<ConnectorTester> tester = Lazy.of(components::connectorTester);
 * tester.get().test(userId, connectorId, eventType);
 * }</pre>
 */
public final class Lazy<T> implements Supplier<T> {

    private final Supplier<? extends T> factory;
    private volatile T value;

    private Lazy(Supplier<? extends T> factory) {
        this.factory = factory;
    }

    public static <T> Lazy<T> of(Supplier<? extends T> factory) {
        return new Lazy<>(factory);
    }

    /** An already built value (tests pass their fakes this way). */
    public static <T> Lazy<T> value(T value) {
        Lazy<T> lazy = new Lazy<>(() -> value);
        lazy.value = value;
        return lazy;
    }

    @Override
    public T get() {
        T current = value;
        if (current == null) {
            synchronized (this) {
                current = value;
                if (current == null) {
                    current = factory.get();
                    value = current;
                }
            }
        }
        return current;
    }
}
