package app.connectors.delivery;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Which destination a connector's requests go to, as pacing and pauses count it: one owner's
 * webhook, whichever of their connectors posts to it. Slack's and Discord's limits are per webhook,
 * so two connectors on one incoming webhook share its send slots and its 429 pauses. The key is a
 * hash of the owner and the URL's host and path (scheme and host lower-cased, a default port and a
 * trailing slash dropped, the query left out): never the URL itself, whose path is the webhook's
 * secret. Owners never share a key, so one tenant's traffic cannot pace or pause another's.
 */
public final class DestinationKey {

    static final String PREFIX = "dst_";

    private DestinationKey() {
    }

    /** The key of {@code url} for {@code userId}'s connectors; empty-string-free, fixed length. */
    public static String of(String userId, String url) throws URISyntaxException {
        URI uri = new URI(url);
        if (uri.getHost() == null) {
            throw new URISyntaxException(url, "no host");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String normalised = scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(userId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            byte[] digest = sha.digest(normalised.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
