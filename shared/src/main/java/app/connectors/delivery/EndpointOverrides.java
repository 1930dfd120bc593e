package app.connectors.delivery;

import app.connectors.net.Origin;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Development only: sends requests meant for a SaaS API's https origin to another origin (a local
 * fake on plain http and a free port). Read from {@code ENDPOINT_OVERRIDES}, which the local stack's
 * tests set and template.yaml never does; see docs/decisions/0005-endpoint-overrides.md.
 *
 * <p>It is applied last, after the credential rule has been judged on the logical URL, so a
 * connector's credentials still go only where its type's own origin goes.
 *
 * <pre>{@code
 * EndpointOverrides o = EndpointOverrides.parse("api.hubapi.com=http://127.0.0.1:4567");
 * o.apply(URI.create("https://api.hubapi.com/crm/v3/objects/notes")); // http://127.0.0.1:4567/crm/v3/objects/notes
 * }</pre>
 */
public final class EndpointOverrides {

    /** For messages; the name itself is {@code Settings.ENDPOINT_OVERRIDES}. */
    private static final String VARIABLE = "ENDPOINT_OVERRIDES";

    private static final EndpointOverrides NONE = new EndpointOverrides(Map.of());

    private final Map<String, Origin> byHost;

    private EndpointOverrides(Map<String, Origin> byHost) {
        this.byHost = Map.copyOf(byHost);
    }

    public static EndpointOverrides none() {
        return NONE;
    }

    /**
     * @throws IllegalArgumentException naming the entry that is not {@code host=scheme://host[:port]}
     */
    public static EndpointOverrides parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        Map<String, Origin> byHost = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            String pair = entry.strip();
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(VARIABLE + " entry '" + pair + "' is not host=scheme://host[:port]");
            }
            URI target;
            try {
                target = new URI(pair.substring(eq + 1).strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(VARIABLE + " entry '" + pair + "' has no valid target URL", e);
            }
            if (target.getHost() == null || (target.getRawPath() != null && !target.getRawPath().isEmpty()
                    && !target.getRawPath().equals("/")) || target.getRawQuery() != null) {
                throw new IllegalArgumentException(VARIABLE + " entry '" + pair + "' must map to an origin only");
            }
            byHost.put(pair.substring(0, eq).strip().toLowerCase(Locale.ROOT), Origin.of(target));
        }
        return new EndpointOverrides(byHost);
    }

    public boolean isEmpty() {
        return byHost.isEmpty();
    }

    /** {@code uri} on the overriding origin when it is {@code https://<overridden host>:443}; else {@code uri} itself. */
    public URI apply(URI uri) {
        if (byHost.isEmpty()) {
            return uri;
        }
        Origin origin = Origin.of(uri);
        Origin replacement = byHost.get(origin.host());
        if (replacement == null || !"https".equals(origin.scheme()) || origin.port() != 443) {
            return uri;
        }
        String host = replacement.host().indexOf(':') >= 0 ? "[" + replacement.host() + "]" : replacement.host();
        return URI.create(replacement.scheme() + "://" + host + ":" + replacement.port()
                + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }
}
