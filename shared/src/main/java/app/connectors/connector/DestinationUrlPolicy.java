package app.connectors.connector;

import app.connectors.catalog.FieldSpec;
import app.connectors.net.DestinationRefusedException;
import app.connectors.net.Origin;
import app.connectors.net.SsrfGuard;
import app.connectors.net.UrlPath;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Save-time rules for a destination URL: https (plain http only where the local stack allows it),
 * no user-info, the type's own hosts and path, and no host that is or resolves to an address the
 * SSRF list forbids. The connect-time guard checks again before every send; this check exists so
 * that the user hears about a bad URL when saving it, not in a delivery log.
 *
 * <p>A host that does not resolve is accepted: DNS can fail for a moment, and the delivery path
 * judges whatever the name resolves to when it is used (see docs/decisions/0002-unresolvable-hosts.md).
 */
public final class DestinationUrlPolicy {

    static final int MAX_URL_LENGTH = 2048;

    private final SsrfGuard guard;
    private final boolean allowPlainHttp;
    private final String refusalHint;

    public DestinationUrlPolicy(SsrfGuard guard, boolean allowPlainHttp) {
        this(guard, allowPlainHttp, null);
    }

    private DestinationUrlPolicy(SsrfGuard guard, boolean allowPlainHttp, String refusalHint) {
        this.guard = guard;
        this.allowPlainHttp = allowPlainHttp;
        this.refusalHint = refusalHint;
    }

    /**
     * The same policy, adding {@code hint} to a refusal by the SSRF list, with {@code {target}} replaced
     * by the refused host:port (the local stack says how to admit a local test endpoint); null: none.
     */
    public DestinationUrlPolicy withRefusalHint(String hint) {
        return new DestinationUrlPolicy(guard, allowPlainHttp, hint == null || hint.isBlank() ? null : hint);
    }

    /** What is wrong with {@code value} as the URL field {@code spec}, or empty when it is acceptable. */
    public Optional<String> problem(FieldSpec spec, String value) {
        if (value.length() > MAX_URL_LENGTH) {
            return Optional.of("must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowPlainHttp && scheme.equals("http"))) {
            return Optional.of("must be an https:// URL");
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            return Optional.of("must not contain a user name or password; use the type's credential fields");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not contain a #fragment");
        }
        Origin origin;
        try {
            origin = Origin.of(uri);
        } catch (IllegalArgumentException e) {
            return Optional.of("must name a host, e.g. " + example(spec));
        }
        // URI.getHost() is null for numeric shorthands such as 127.1; Origin reads them so the guard judges them.
        String host = uri.getHost() != null ? hostOf(uri) : origin.host();
        if (!spec.allowsHost(host)) {
            return Optional.of("must be on " + String.join(" or ", spec.hosts()) + ", e.g. " + example(spec));
        }
        // Platform webhooks live on port 443; another port only on the local stack, whose fakes listen elsewhere.
        if (!spec.hosts().isEmpty() && origin.port() != 443 && !allowPlainHttp) {
            return Optional.of("must use the platform's default port");
        }
        if (spec.pathPattern() != null) {
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            if (UrlPath.hasDotSegment(path)) {
                // The server resolves them before routing, so the pattern would be judging a path the request never reaches.
                return Optional.of("must not contain . or .. path segments (also not as %2e)");
            }
            if (!spec.pathPattern().matcher(path).matches()) {
                return Optional.of("is not a " + spec.name() + " of this type: its path should look like " + example(spec));
            }
        }
        try {
            guard.check(host, origin.port());
        } catch (DestinationRefusedException e) {
            String hint = refusalHint == null ? "" : " (" + refusalHint.replace("{target}", host + ":" + origin.port()) + ")";
            return Optional.of("is refused: " + e.getMessage() + "; use a public endpoint" + hint);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The host as the resolver wants it: lower case, IDN to ASCII, IPv6 brackets removed. */
    static String hostOf(URI uri) {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            return host.substring(1, host.length() - 1).toLowerCase(Locale.ROOT);
        }
        return IDN.toASCII(host).toLowerCase(Locale.ROOT);
    }

    private static String example(FieldSpec spec) {
        return spec.example() != null && spec.example().isTextual() ? spec.example().asText() : "https://example.com/hook";
    }
}
