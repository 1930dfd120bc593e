package app.connectors.portal;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link PortalStore} in memory, with the table's atomic single-use redemption. */
public final class InMemoryPortalStore implements PortalStore {

    private final Map<String, LinkCode> links = new ConcurrentHashMap<>();
    private final Map<String, Instant> used = new ConcurrentHashMap<>();
    private final Map<String, PortalSession> sessions = new ConcurrentHashMap<>();

    @Override
    public void saveLink(LinkCode link) {
        if (links.putIfAbsent(link.codeHash(), link) != null) {
            throw new IllegalStateException("link code hash collision");
        }
    }

    @Override
    public synchronized Redemption redeemLink(String codeHash, Instant now) {
        LinkCode link = links.get(codeHash);
        if (link == null) {
            return new Redemption.Unknown();
        }
        if (used.containsKey(codeHash)) {
            return new Redemption.AlreadyUsed();
        }
        if (!now.isBefore(link.expiresAt())) {
            return new Redemption.Expired();
        }
        used.put(codeHash, now);
        return new Redemption.Redeemed(link);
    }

    @Override
    public Optional<StoredLink> findLink(String codeHash) {
        LinkCode link = links.get(codeHash);
        return link == null ? Optional.empty() : Optional.of(new StoredLink(link, used.containsKey(codeHash)));
    }

    @Override
    public void saveSession(PortalSession session) {
        sessions.put(session.tokenHash(), session);
    }

    @Override
    public Optional<PortalSession> findSession(String tokenHash) {
        return Optional.ofNullable(sessions.get(tokenHash));
    }

    @Override
    public void touchSession(String tokenHash, Instant lastSeenAt) {
        sessions.computeIfPresent(tokenHash, (hash, s) -> new PortalSession(s.tokenHash(), s.userId(), s.createdAt(), lastSeenAt,
                s.expiresAt()));
    }

    @Override
    public void deleteSession(String tokenHash) {
        sessions.remove(tokenHash);
    }

    /** Every stored session, as the table would hold them (hashes only). */
    public Map<String, PortalSession> sessions() {
        return Map.copyOf(sessions);
    }

    /** Every stored link code, as the table would hold them (hashes only). */
    public Map<String, LinkCode> links() {
        return Map.copyOf(links);
    }
}
