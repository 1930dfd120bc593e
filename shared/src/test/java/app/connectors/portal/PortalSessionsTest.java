package app.connectors.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.account.InMemoryUserStore;
import app.connectors.account.Tier;
import app.connectors.problem.NotFoundException;
import app.connectors.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PortalSessionsTest {

    private final MutableClock clock = new MutableClock();
    private final InMemoryUserStore users = new InMemoryUserStore(clock);
    private final InMemoryPortalStore store = new InMemoryPortalStore();
    private final PortalSessions sessions = new PortalSessions(store, users, clock);

    PortalSessionsTest() {
        users.upsert("user-42", Tier.PRO);
    }

    private PortalSessions.Opening.Opened open() {
        var link = sessions.mintLink("user-42");
        return (PortalSessions.Opening.Opened) sessions.open(link.code());
    }

    @Test
    void mintsAnUnguessableSingleUseCodeAndStoresOnlyItsHash() {
        var link = sessions.mintLink("user-42");

        assertThat(link.code()).startsWith("cpl_").hasSize(4 + 43);
        assertThat(link.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(store.links()).containsOnlyKeys(SecretToken.hash(link.code()));
        assertThat(store.links().values().toString()).doesNotContain(link.code());
        assertThat(link.url("https://api.example.com/v1/portal/")).isEqualTo("https://api.example.com/v1/portal/start?code=" + link.code());
    }

    @Test
    void refusesALinkForAUserTheHostHasNotCreated() {
        assertThatThrownBy(() -> sessions.mintLink("nobody")).isInstanceOf(NotFoundException.class).hasMessageContaining("nobody");
        assertThat(store.links()).isEmpty();
    }

    @Test
    void openingALinkStartsASessionStoredByHash() {
        var opened = open();

        assertThat(opened.token()).startsWith("cps_");
        assertThat(opened.session().userId()).isEqualTo("user-42");
        assertThat(store.sessions()).containsOnlyKeys(SecretToken.hash(opened.token()));
        assertThat(sessions.find(opened.token())).get().extracting(ActiveSession::userId).isEqualTo("user-42");
    }

    @Test
    void aLinkOpensOnceOnly() {
        var link = sessions.mintLink("user-42");
        sessions.open(link.code());

        assertThat(sessions.open(link.code())).isEqualTo(new PortalSessions.Opening.Refused(PortalSessions.LinkProblem.USED));
    }

    @Test
    void aLinkExpiresAfterTenMinutes() {
        var link = sessions.mintLink("user-42");
        clock.advance(Duration.ofMinutes(10));

        assertThat(sessions.open(link.code())).isEqualTo(new PortalSessions.Opening.Refused(PortalSessions.LinkProblem.EXPIRED));
        assertThat(store.sessions()).isEmpty();
    }

    @Test
    void aForgedOrMangledCodeIsUnknown() {
        String wellFormed = SecretToken.generate(SecretToken.LINK_PREFIX);
        for (String code : new String[] {wellFormed, "cpl_short", "", null, "cps_" + wellFormed.substring(4), wellFormed + "x",
                "cpl_" + "A".repeat(10_000)}) {
            assertThat(sessions.open(code)).as(String.valueOf(code))
                    .isEqualTo(new PortalSessions.Opening.Refused(PortalSessions.LinkProblem.UNKNOWN));
        }
    }

    @Test
    void checkingALinkSaysWhosePortalItOpensAndLeavesItUnused() {
        var link = sessions.mintLink("user-42");

        for (int i = 0; i < 3; i++) {
            assertThat(sessions.check(link.code())).isEqualTo(new PortalSessions.LinkCheck.Openable("user-42", link.expiresAt()));
        }

        assertThat(store.sessions()).isEmpty();
        assertThat(sessions.open(link.code())).isInstanceOf(PortalSessions.Opening.Opened.class);
        assertThat(sessions.check(link.code())).isEqualTo(new PortalSessions.LinkCheck.Refused(PortalSessions.LinkProblem.USED));
    }

    @Test
    void checkingAnExpiredForgedOrOrphanedLinkSaysWhyItWouldNotOpen() {
        var expiring = sessions.mintLink("user-42");
        users.upsert("user-gone", Tier.PRO);
        var orphaned = sessions.mintLink("user-gone");
        users.remove("user-gone");
        assertThat(sessions.check(orphaned.code())).isEqualTo(new PortalSessions.LinkCheck.Refused(PortalSessions.LinkProblem.UNKNOWN));
        clock.advance(Duration.ofMinutes(10));

        assertThat(sessions.check(expiring.code())).isEqualTo(new PortalSessions.LinkCheck.Refused(PortalSessions.LinkProblem.EXPIRED));
        assertThat(sessions.check(SecretToken.generate(SecretToken.LINK_PREFIX)))
                .isEqualTo(new PortalSessions.LinkCheck.Refused(PortalSessions.LinkProblem.UNKNOWN));
        assertThat(sessions.check("cpl_<script>")).isEqualTo(new PortalSessions.LinkCheck.Refused(PortalSessions.LinkProblem.UNKNOWN));
        assertThat(sessions.check(null)).isEqualTo(new PortalSessions.LinkCheck.Refused(PortalSessions.LinkProblem.UNKNOWN));
    }

    @Test
    void twentyConcurrentOpeningsOfOneLinkStartExactlyOneSession() throws Exception {
        var link = sessions.mintLink("user-42");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<PortalSessions.Opening>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Callable<PortalSessions.Opening> attempt = () -> {
                go.await();
                return sessions.open(link.code());
            };
            results.add(pool.submit(attempt));
        }
        go.countDown();
        int opened = 0;
        for (Future<PortalSessions.Opening> result : results) {
            if (result.get() instanceof PortalSessions.Opening.Opened) {
                opened++;
            }
        }
        pool.shutdown();

        assertThat(opened).isOne();
        assertThat(store.sessions()).hasSize(1);
    }

    @Test
    void aSessionEndsAfterAnHourWithoutRequests() {
        var opened = open();
        clock.advance(Duration.ofMinutes(59));
        assertThat(sessions.find(opened.token())).isPresent();

        clock.advance(Duration.ofMinutes(60));

        assertThat(sessions.find(opened.token())).isEmpty();
    }

    @Test
    void activityKeepsASessionAliveUntilItsAbsoluteEnd() {
        var opened = open();
        for (int i = 0; i < 15; i++) {
            clock.advance(Duration.ofMinutes(30));
            assertThat(sessions.find(opened.token())).as("after %d min", (i + 1) * 30).isPresent();
        }

        clock.advance(Duration.ofMinutes(30));

        assertThat(sessions.find(opened.token())).as("after 8 h").isEmpty();
    }

    @Test
    void activityIsWrittenAtMostEveryFiveMinutes() {
        var opened = open();
        clock.advance(Duration.ofMinutes(4));
        sessions.find(opened.token());
        assertThat(store.sessions().values().iterator().next().lastSeenAt()).isEqualTo(opened.session().stored().lastSeenAt());

        clock.advance(Duration.ofMinutes(1));
        sessions.find(opened.token());

        assertThat(store.sessions().values().iterator().next().lastSeenAt()).isEqualTo(clock.instant());
    }

    @Test
    void logoutEndsTheSessionAtOnce() {
        var opened = open();

        sessions.end(opened.token());

        assertThat(sessions.find(opened.token())).isEmpty();
        assertThat(store.sessions()).isEmpty();
    }

    @Test
    void theCsrfTokenBelongsToOneSessionAndIsNotStored() {
        var first = open();
        var second = open();
        String csrf = first.session().csrfToken();

        assertThat(sessions.find(first.token()).orElseThrow().acceptsCsrfToken(csrf)).isTrue();
        assertThat(sessions.find(second.token()).orElseThrow().acceptsCsrfToken(csrf)).isFalse();
        assertThat(first.session().acceptsCsrfToken(null)).isFalse();
        assertThat(first.session().acceptsCsrfToken("")).isFalse();
        assertThat(first.session().acceptsCsrfToken(csrf + "x")).isFalse();
        assertThat(store.sessions().toString()).doesNotContain(csrf).doesNotContain(first.token());
    }

    @Test
    void sessionMacsDifferByPurposeAndData() {
        var session = open().session();

        assertThat(session.mac("a", "bc")).isNotEqualTo(session.mac("ab", "c"));
        assertThat(session.verifies("oauth-state", "x", session.mac("oauth-state", "x"))).isTrue();
        assertThat(session.verifies("oauth-state", "y", session.mac("oauth-state", "x"))).isFalse();
    }

    @Test
    void aMalformedSessionTokenFindsNothing() {
        open();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("cps_")).isEmpty();
        assertThat(sessions.find(SecretToken.generate(SecretToken.SESSION_PREFIX))).isEmpty();
        assertThat(sessions.find(SecretToken.generate(SecretToken.LINK_PREFIX))).isEmpty();
    }
}
