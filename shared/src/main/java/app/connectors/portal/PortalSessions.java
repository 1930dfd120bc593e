package app.connectors.portal;

import app.connectors.account.User;
import app.connectors.account.UserStore;
import app.connectors.problem.NotFoundException;
import app.connectors.problem.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Portal links and the sessions they open. A link carries a single-use code that expires after
 * {@link #LINK_LIFETIME}; opening it starts a session that ends after {@link #IDLE_TIMEOUT} without
 * requests, after {@link #SESSION_LIFETIME} in any case, or at logout. Every check reads the stored
 * session consistently, so a logout or expiry takes effect on the very next request.
 *
 * <pre>{@code
 * MintedLink link = sessions.mintLink("user-42");           // host platform: link.url(base)
 * LinkCheck check = sessions.check(link.code());            // the link's page (GET): whose portal, unused
 * Opening opening = sessions.open(link.code());             // the user continues (POST): cookie ← Opened.token()
 * Optional<ActiveSession> s = sessions.find(cookieValue);   // every portal request
 * sessions.end(cookieValue);                                // logout
 * }</pre>
 */
public final class PortalSessions {

    public static final Duration LINK_LIFETIME = Duration.ofMinutes(10);
    public static final Duration SESSION_LIFETIME = Duration.ofHours(8);
    public static final Duration IDLE_TIMEOUT = Duration.ofHours(1);
    /** Activity is written at most this often, so a busy page does not write on every request. */
    public static final Duration TOUCH_INTERVAL = Duration.ofMinutes(5);

    private final PortalStore store;
    private final UserStore users;
    private final Clock clock;

    public PortalSessions(PortalStore store, UserStore users, Clock clock) {
        this.store = store;
        this.users = users;
        this.clock = clock;
    }

    /**
     * A new single-use link code for an existing user.
     *
     * @throws ValidationException (field {@code userId}) when the id cannot name a user
     * @throws NotFoundException when the host platform has not created the user
     */
    public MintedLink mintLink(String userId) {
        User.idError(userId).ifPresent(error -> {
            throw ValidationException.of(error.field(), error.message());
        });
        if (users.find(userId).isEmpty()) {
            throw new NotFoundException("No user " + userId + "; create it first (AccountsFunction with a userId and tier).");
        }
        String code = SecretToken.generate(SecretToken.LINK_PREFIX);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(LINK_LIFETIME);
        store.saveLink(new PortalStore.LinkCode(SecretToken.hash(code), userId, now, expiresAt));
        return new MintedLink(code, expiresAt);
    }

    /**
     * What a link code would open, without using it: a GET of the link (or a link previewer's HEAD)
     * changes nothing, so only the user's own same-origin confirmation redeems it ({@link #open}).
     */
    public LinkCheck check(String code) {
        if (!SecretToken.looksLike(code, SecretToken.LINK_PREFIX)) {
            return new LinkCheck.Refused(LinkProblem.UNKNOWN);
        }
        Optional<PortalStore.StoredLink> found = store.findLink(SecretToken.hash(code));
        if (found.isEmpty()) {
            return new LinkCheck.Refused(LinkProblem.UNKNOWN);
        }
        PortalStore.LinkCode link = found.get().link();
        if (found.get().used()) {
            return new LinkCheck.Refused(LinkProblem.USED);
        }
        if (!clock.instant().isBefore(link.expiresAt())) {
            return new LinkCheck.Refused(LinkProblem.EXPIRED);
        }
        if (users.find(link.userId()).isEmpty()) {
            return new LinkCheck.Refused(LinkProblem.UNKNOWN);
        }
        return new LinkCheck.Openable(link.userId(), link.expiresAt());
    }

    /** Redeems a link code: a new session, or why not. Never reuses a session the browser already had. */
    public Opening open(String code) {
        if (!SecretToken.looksLike(code, SecretToken.LINK_PREFIX)) {
            return new Opening.Refused(LinkProblem.UNKNOWN);
        }
        Instant now = clock.instant();
        return switch (store.redeemLink(SecretToken.hash(code), now)) {
            case PortalStore.Redemption.Unknown unknown -> new Opening.Refused(LinkProblem.UNKNOWN);
            case PortalStore.Redemption.AlreadyUsed used -> new Opening.Refused(LinkProblem.USED);
            case PortalStore.Redemption.Expired expired -> new Opening.Refused(LinkProblem.EXPIRED);
            case PortalStore.Redemption.Redeemed redeemed -> {
                if (users.find(redeemed.link().userId()).isEmpty()) {
                    yield new Opening.Refused(LinkProblem.UNKNOWN);
                }
                String token = SecretToken.generate(SecretToken.SESSION_PREFIX);
                PortalSession session = new PortalSession(SecretToken.hash(token), redeemed.link().userId(), now, now,
                        now.plus(SESSION_LIFETIME));
                store.saveSession(session);
                yield new Opening.Opened(token, new ActiveSession(token, session, session.endsAt(IDLE_TIMEOUT)));
            }
        };
    }

    /** The live session a cookie names, or empty when it is malformed, unknown, ended or expired. */
    public Optional<ActiveSession> find(String token) {
        if (!SecretToken.looksLike(token, SecretToken.SESSION_PREFIX)) {
            return Optional.empty();
        }
        Optional<PortalSession> found = store.findSession(SecretToken.hash(token));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        PortalSession session = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(session.endsAt(IDLE_TIMEOUT))) {
            return Optional.empty();
        }
        if (!now.isBefore(session.lastSeenAt().plus(TOUCH_INTERVAL))) {
            store.touchSession(session.tokenHash(), now);
            session = new PortalSession(session.tokenHash(), session.userId(), session.createdAt(), now, session.expiresAt());
        }
        return Optional.of(new ActiveSession(token, session, session.endsAt(IDLE_TIMEOUT)));
    }

    /** Ends the session the cookie names (logout); unknown or malformed tokens are ignored. */
    public void end(String token) {
        if (SecretToken.looksLike(token, SecretToken.SESSION_PREFIX)) {
            store.deleteSession(SecretToken.hash(token));
        }
    }

    /** A link code just minted; the code exists in plaintext only here and in the URL handed out. */
    public record MintedLink(String code, Instant expiresAt) {

        /** The link for the portal at {@code baseUrl} (e.g. {@code https://api.example.com/v1/portal}). */
        public String url(String baseUrl) {
            return (baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl) + "/start?code=" + code;
        }
    }

    /** The outcome of opening a link. */
    public sealed interface Opening {
        /** @param token the new session token, for the cookie; it exists in plaintext nowhere else */
        record Opened(String token, ActiveSession session) implements Opening {
        }

        record Refused(LinkProblem problem) implements Opening {
        }
    }

    /** What a link would open if the user continued, or why it would not. */
    public sealed interface LinkCheck {
        /** @param userId whose portal the link opens */
        record Openable(String userId, Instant expiresAt) implements LinkCheck {
        }

        record Refused(LinkProblem problem) implements LinkCheck {
        }
    }

    /** Why a link does not open a session, and what the person holding it should do. */
    public enum LinkProblem {
        USED("This portal link has already been used", "A portal link works once. Go back to the application and open the portal again to get a new link."),
        EXPIRED("This portal link has expired", "A portal link works for " + LINK_LIFETIME.toMinutes()
                + " minutes. Go back to the application and open the portal again to get a new link."),
        UNKNOWN("This portal link is not valid", "The link may be incomplete or mistyped. Go back to the application and open the portal again to get a new link.");

        private final String title;
        private final String advice;

        LinkProblem(String title, String advice) {
            this.title = title;
            this.advice = advice;
        }

        public String title() {
            return title;
        }

        public String advice() {
            return advice;
        }
    }
}
