package app.connectors.format;

/** Makes machine names readable: {@code "daysLeft"}, {@code "days_left"} → {@code "Days left"}. */
final class Labels {

    private Labels() {
    }

    static String humanize(String name) {
        if (name == null || name.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_' || c == '-' || c == '.' || c == ' ') {
                if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
                continue;
            }
            if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(name.charAt(i - 1))) {
                out.append(' ');
            }
            out.append(out.length() == 0 ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        int end = out.length();
        // "evidence url" reads better as "evidence URL"; only for a whole last word.
        if (end >= 4 && out.substring(end - 4).equals(" url")) {
            out.replace(end - 3, end, "URL");
        } else if (end >= 3 && out.substring(end - 3).equals(" id")) {
            out.replace(end - 2, end, "ID");
        }
        return out.toString();
    }
}
