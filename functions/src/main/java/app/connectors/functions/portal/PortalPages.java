package app.connectors.functions.portal;

/**
 * The few HTML pages the server renders itself (a link that does not open, a missing page): plain
 * markup with no script and no inline style, so the strict CSP holds without exceptions.
 */
public final class PortalPages {

    private PortalPages() {
    }

    /**
     * A page with a heading and a paragraph.
     *
     * @param toPortalRoot the relative path from the page's URL to the portal's root ("" or "../" …),
     *                     so the stylesheet resolves under any stage prefix
     */
    public static String message(String title, String text, String toPortalRoot) {
        return page(title, toPortalRoot, null, "<main>\n<h1>" + escape(title) + "</h1>\n<p>" + escape(text) + "</p>\n</main>");
    }

    /**
     * The OAuth callback page of a popup: its own script (never inline) hands the callback's query to
     * the window that opened it; the paragraph explains when there is none.
     */
    public static String relay(String providerName, String providerId, String explanation, String toPortalRoot) {
        String title = "Connecting " + providerName;
        return page(title, toPortalRoot, "server/oauth-relay.js", "<main data-provider=\"" + escape(providerId) + "\">\n<h1>"
                + escape(title) + "</h1>\n<p id=\"relay-status\">" + escape(explanation) + "</p>\n</main>");
    }

    /** The shell every server page shares: the server's stylesheet, an optional deferred script of its own. */
    private static String page(String title, String toPortalRoot, String script, String main) {
        String root = escape(toPortalRoot);
        return """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <link rel="stylesheet" href="%sserver/page.css">
                %s</head>
                <body>
                %s
                </body>
                </html>
                """.formatted(escape(title), root, script == null ? "" : "<script src=\"" + root + escape(script) + "\" defer></script>\n",
                main);
    }

    /** HTML-escapes text for element content and double-quoted attributes. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
