package app.connectors.functions.portal;

import app.connectors.config.Settings;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The portal's browser-facing security policy: the Content-Security-Policy of its pages (nothing
 * but the portal's own origin, no inline script, framing only by the operator's allowed ancestors)
 * and the headers every portal response carries.
 *
 * <pre>{@code
 * PortalPolicy policy = PortalPolicy.from(settings, List.of(URI.create("https://slack.com")));
 * headers.put("Content-Security-Policy", policy.contentSecurityPolicy(null));
 * }</pre>
 */
public final class PortalPolicy {

    /** A CSP source the operator may list: 'self', 'none', or scheme://host[:port] with an optional leading *. label. */
    private static final Pattern ANCESTOR = Pattern.compile(
            "'self'|'none'|https?://(\\*\\.)?[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*(?::[0-9]{1,5})?");

    private final List<String> frameAncestors;
    private final List<String> formActions;

    PortalPolicy(List<String> frameAncestors, Collection<URI> oauthAuthorizeOrigins) {
        this.frameAncestors = List.copyOf(frameAncestors);
        Set<String> actions = new LinkedHashSet<>();
        actions.add("'self'");
        oauthAuthorizeOrigins.forEach(origin -> actions.add(origin(origin)));
        this.formActions = List.copyOf(actions);
    }

    /**
     * From {@link Settings#PORTAL_FRAME_ANCESTORS} (space-separated; unset: {@code 'self'}).
     *
     * @param oauthAuthorizeOrigins where Connect buttons send the browser (allowed as form actions)
     * @throws IllegalStateException naming the variable when an entry is not a CSP source expression
     */
    public static PortalPolicy from(Settings settings, Collection<URI> oauthAuthorizeOrigins) {
        String value = settings.optional(Settings.PORTAL_FRAME_ANCESTORS).orElse("'self'");
        List<String> ancestors = new ArrayList<>();
        for (String entry : value.trim().split("\\s+")) {
            if (!ANCESTOR.matcher(entry).matches()) {
                throw new IllegalStateException("environment variable " + Settings.PORTAL_FRAME_ANCESTORS + " entry '" + entry
                        + "' is not 'self', 'none' or an origin such as https://app.example.com");
            }
            ancestors.add(entry.toLowerCase(Locale.ROOT).equals("'none'") ? "'none'" : entry);
        }
        if (ancestors.contains("'none'") && ancestors.size() > 1) {
            throw new IllegalStateException("environment variable " + Settings.PORTAL_FRAME_ANCESTORS
                    + " lists 'none' together with other sources; use 'none' alone");
        }
        return new PortalPolicy(ancestors, oauthAuthorizeOrigins);
    }

    /**
     * The CSP of an HTML page: the portal's own origin for everything, no inline script or eval.
     *
     * @param styleNonce a per-response nonce allowing {@code <style>} elements that carry it (a code
     *                   editor injects its own), or null for none; scripts never get one
     */
    public String contentSecurityPolicy(String styleNonce) {
        return String.join("; ",
                "default-src 'self'",
                "script-src 'self'",
                "style-src 'self'" + (styleNonce == null ? "" : " 'nonce-" + styleNonce + "'"),
                "img-src 'self'",
                "font-src 'self'",
                "connect-src 'self'",
                "object-src 'none'",
                "base-uri 'none'",
                "form-action " + String.join(" ", formActions),
                "frame-ancestors " + String.join(" ", frameAncestors));
    }

    public List<String> frameAncestors() {
        return frameAncestors;
    }

    /**
     * The CSP of an SVG file. Through {@code <img>} it runs nothing anyway, but opened by itself it is a
     * document that could run script: it may run none and load nothing, in a sandbox of its own.
     */
    public static final String SVG_CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox";

    /** Powerful browser features: the portal uses none, so no page (nor anything it frames) gets them. */
    static final String PERMISSIONS_POLICY = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
            + "microphone=(), payment=(), usb=()";

    /**
     * Headers on every portal response, whatever its type. HSTS has no includeSubDomains: on a custom
     * domain that would bind the operator's other hosts too. Browsers ignore it over plain http (the
     * local stack).
     */
    public static Map<String, String> baseHeaders() {
        return Map.of(
                "X-Content-Type-Options", "nosniff",
                "Referrer-Policy", "no-referrer",
                "Cross-Origin-Resource-Policy", "same-origin",
                "Strict-Transport-Security", "max-age=31536000",
                "Permissions-Policy", PERMISSIONS_POLICY);
    }

    private static String origin(URI uri) {
        int port = uri.getPort();
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                + (port < 0 ? "" : ":" + port);
    }

    @Override
    public String toString() {
        return "PortalPolicy" + Arrays.asList(frameAncestors, formActions);
    }
}
