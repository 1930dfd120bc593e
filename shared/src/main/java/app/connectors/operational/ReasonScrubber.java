package app.connectors.operational;

import java.util.regex.Pattern;

/**
 * Makes a reason safe to leave the service. Reasons are written by the service, but some quote what
 * a destination answered, and a destination may echo the request (a webhook URL is a credential, and
 * so is an Authorization header). So: URLs become {@code [url]}, credentials after a scheme or a
 * key name become {@code [redacted]}, long token-like runs become {@code [redacted]}, and the text is
 * cut to {@value #MAX_CHARS} characters.
 */
public final class ReasonScrubber {

    static final int MAX_CHARS = 300;
    private static final Pattern URL = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://\\S+");
    private static final Pattern CREDENTIAL = Pattern.compile(
            "(?i)\\b(bearer|basic|token|api[_-]?key|secret|password|authorization)(\\s*[:=]\\s*|\\s+)(\"?)[^\\s\",;]+");
    /** 24+ characters of letters, digits and token punctuation, with at least one digit: keys, not words. */
    private static final Pattern TOKEN_LIKE = Pattern.compile("\\b(?=[A-Za-z0-9_\\-+/=.]*\\d)[A-Za-z0-9_\\-+/=.]{24,}");

    private ReasonScrubber() {
    }

    public static String scrub(String reason) {
        if (reason == null) {
            return null;
        }
        String text = URL.matcher(reason).replaceAll("[url]");
        text = CREDENTIAL.matcher(text).replaceAll("$1$2$3[redacted]");
        text = TOKEN_LIKE.matcher(text).replaceAll("[redacted]");
        text = text.replaceAll("[\\r\\n\\t]+", " ").strip();
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS - 1) + "…";
    }
}
