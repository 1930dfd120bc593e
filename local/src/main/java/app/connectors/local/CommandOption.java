package app.connectors.local;

/**
 * An option a {@link LocalCommand} accepts: {@code --name <value>} or a flag ({@code --name} alone).
 *
 * <pre>{@code
 * CommandOption.valued("--port", "<n>", "gateway port (default 3000, 0 = any free port)")
 * CommandOption.flag("--new-id", "publish under a fresh event id")
 * }</pre>
 *
 * @param name        the option with its leading dashes
 * @param placeholder how its value is shown in help ({@code <n>}); null for a flag
 * @param help        one line for {@code --help}
 */
record CommandOption(String name, String placeholder, String help) {

    CommandOption {
        if (!name.startsWith("--")) {
            throw new IllegalArgumentException("an option starts with --: " + name);
        }
    }

    static CommandOption valued(String name, String placeholder, String help) {
        return new CommandOption(name, placeholder, help);
    }

    static CommandOption flag(String name, String help) {
        return new CommandOption(name, null, help);
    }

    boolean takesValue() {
        return placeholder != null;
    }

    /** How it appears in help: {@code --port <n>} or {@code --yes}. */
    String usage() {
        return takesValue() ? name + " " + placeholder : name;
    }
}
