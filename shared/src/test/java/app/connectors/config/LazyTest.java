package app.connectors.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyTest {

    @Test
    void buildsNothingUntilFirstUse() {
        AtomicInteger built = new AtomicInteger();

        Lazy<String> lazy = Lazy.of(() -> "v" + built.incrementAndGet());

        assertThat(built).hasValue(0);
        assertThat(lazy.get()).isEqualTo("v1");
        assertThat(lazy.get()).isEqualTo("v1");
        assertThat(built).hasValue(1);
    }

    @Test
    void concurrentFirstUsesBuildOnceAndSeeTheSameValue() throws InterruptedException {
        AtomicInteger built = new AtomicInteger();
        Lazy<Object> lazy = Lazy.of(() -> {
            built.incrementAndGet();
            return new Object();
        });
        CountDownLatch start = new CountDownLatch(1);
        List<Object> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add(lazy.get());
            }));
        }

        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(built).hasValue(1);
        assertThat(seen).hasSize(16).allSatisfy(value -> assertThat(value).isSameAs(seen.getFirst()));
    }

    @Test
    void aGivenValueIsReturnedWithoutAFactory() {
        Object fake = new Object();

        assertThat(Lazy.value(fake).get()).isSameAs(fake);
    }
}
