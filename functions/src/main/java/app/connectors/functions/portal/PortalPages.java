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

    /**
     * A portal link's own page: whose portal it opens, and a button that sends the code back to the
     * portal (a same-origin POST to {@code start}), which alone uses the link. When the browser is
     * signed in as someone else, the page says so and offers to stay. With no such conflict, inside
     * a frame (which only the operator's allowed sites can make: CSP frame-ancestors) the page's
     * script continues by itself; top-level it waits for the click, since any site can send a
     * browser to any link.
     *
     * @param signedInAs the user of the session the browser already has, or null
     */
    public static String openLink(String code, String userId, String signedInAs) {
        String who = escape(userId);
        StringBuilder main = new StringBuilder("<main>\n");
        if (signedInAs == null) {
            main.append("<h1>Open the connectors portal</h1>\n<p>This link opens the portal for <strong>").append(who)
                    .append("</strong>.</p>\n<form id=\"open-link\" method=\"post\" action=\"start\" data-continue=\"framed\">\n");
        } else {
            String other = escape(signedInAs);
            main.append("<h1>You are signed in as ").append(other).append("</h1>\n<p>This link opens the portal for <strong>")
                    .append(who).append("</strong>. Continuing signs <strong>").append(other)
                    .append("</strong> out of the portal in this browser.</p>\n<p>If you did not ask for this link (another site or a "
                            + "message sent you here), stay signed in as ").append(other).append(".</p>\n")
                    .append("<form id=\"open-link\" method=\"post\" action=\"start\">\n");
        }
        main.append("<input type=\"hidden\" name=\"code\" value=\"").append(escape(code)).append("\">\n")
                .append("<button type=\"submit\">Open the portal as ").append(who).append("</button>\n</form>\n");
        if (signedInAs != null) {
            main.append("<p><a href=\"./\">Stay signed in as ").append(escape(signedInAs)).append("</a></p>\n");
        }
        main.append("</main>");
        String title = signedInAs == null ? "Open the connectors portal" : "You are signed in as " + signedInAs;
        return page(title, "", "server/open-link.js", main.toString());
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
