package app.connectors.net;

import java.net.URI;
import java.util.Locale;

/**
 * The scheme, host and port of a URL: everything about a destination that may appear in a log line
 * or an error message. Webhook URLs carry their secret in the path or query (Slack, Discord,
 * Zapier, Inngest), so the path and query never leave {@link URI} into text.
 *
 * <pre>{@code
 * Origin o = Origin.of(URI.create("https://hooks.slack.com/services/T0/B0/secret"));
 * o.toString(); // "https://hooks.slack.com"
 * }</pre>
 *
 * <p>{@link URI#getHost()} is null for hosts like {@code 127.1} or {@code 0x7f.1}; the host is then
 * read from the raw authority so that the SSRF guard still sees (and refuses) it.
 *
 * @param scheme lower-case scheme
 * @param host   host as written (IPv6 without brackets)
 * @param port   explicit port, or the scheme's default
 */
public record Origin(String scheme, String host, int port) {

    /**
     * @throws IllegalArgumentException when the URI has no scheme or no host
     */
    public static Origin of(URI uri) {
        if (uri.getScheme() == null) {
            throw new IllegalArgumentException("URL has no scheme");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        int port = uri.getPort();
        if (host == null) {
            String authority = uri.getRawAuthority();
            if (authority == null || authority.isEmpty()) {
                throw new IllegalArgumentException("URL has no host");
            }
            authority = authority.substring(authority.lastIndexOf('@') + 1);
            int colon = authority.lastIndexOf(':');
            if (colon >= 0 && authority.indexOf(']') < colon) {
                try {
                    port = Integer.parseInt(authority.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("URL port is not a number");
                }
                authority = authority.substring(0, colon);
            }
            host = authority;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("URL has no host");
        }
        if (port < 0) {
            port = "https".equals(scheme) ? 443 : 80;
        }
        return new Origin(scheme, host.toLowerCase(Locale.ROOT), port);
    }

    @Override
    public String toString() {
        String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        boolean defaultPort = ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        return scheme + "://" + shownHost + (defaultPort ? "" : ":" + port);
    }
}
