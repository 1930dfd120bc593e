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
        return """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%1$s</title>
                <link rel="stylesheet" href="%3$sserver/page.css">
                </head>
                <body>
                <main>
                <h1>%1$s</h1>
                <p>%2$s</p>
                </main>
                </body>
                </html>
                """.formatted(escape(title), escape(text), escape(toPortalRoot));
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
