package app.connectors.net;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Facts about a URL's path that a rule about paths must not overlook.
 *
 * <pre>{@code
 * UrlPath.hasDotSegment("/api/w/demo/jobs/%2e%2e/admin");   // true: the server resolves it to /api/w/demo/admin
 * }</pre>
 */
public final class UrlPath {

    private UrlPath() {
    }

    /**
     * Whether the path has a "." or ".." segment as a server would read it: after one percent-decoding
     * ({@code %2e%2e}, {@code %2E.}), with {@code \} or an encoded {@code %2f} as a separator, and with
     * a {@code ;parameter} ignored ({@code ..;}). A pattern matched against such a path says nothing
     * about where the request lands, since the server resolves the dots first.
     */
    public static boolean hasDotSegment(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return false;
        }
        return hasDotSegmentAsIs(rawPath) || hasDotSegmentAsIs(decoded(rawPath));
    }

    private static boolean hasDotSegmentAsIs(String path) {
        for (String segment : path.split("[/\\\\]", -1)) {
            int parameters = segment.indexOf(';');
            String name = parameters < 0 ? segment : segment.substring(0, parameters);
            if (name.equals(".") || name.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static String decoded(String rawPath) {
        try {
            // URLDecoder is for forms: keep '+' a plus, as it is in a path.
            return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return rawPath;
        }
    }
}
