package app.connectors.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed command line: the positional words after the command's name, and its options (a
 * repeated option keeps every value; a flag is present with no value).
 *
 * <pre>{@code
 * Path event = line.path(line.required("--event"));
 * int port = line.intOption("--port", 3000);
 * boolean fresh = line.flag("--new-id");
 * }</pre>
 */
record CommandLine(List<String> positional, Map<String, List<String>> options) {

    CommandLine {
        positional = List.copyOf(positional);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        options.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        options = copy;
    }

    /**
     * Parses {@code args} (the command's name already removed) against the options it accepts.
     *
     * @throws UsageException on an unknown option or a valued option without its value
     */
    static CommandLine parse(List<String> args, List<CommandOption> accepted, String commandName) {
        Map<String, CommandOption> byName = new LinkedHashMap<>();
        accepted.forEach(option -> byName.put(option.name(), option));
        List<String> positional = new ArrayList<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.equals("--")) {
                positional.add(arg);
                continue;
            }
            int equals = arg.indexOf('=');
            String name = equals > 0 ? arg.substring(0, equals) : arg;
            CommandOption option = byName.get(name);
            if (option == null) {
                throw new UsageException("Unknown option " + name + " for " + commandName + "; it accepts "
                        + String.join(", ", byName.keySet()) + ".");
            }
            String value;
            if (!option.takesValue()) {
                if (equals > 0) {
                    throw new UsageException(name + " takes no value");
                }
                value = "";
            } else if (equals > 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException(option.usage() + " needs a value");
            }
            options.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return new CommandLine(positional, options);
    }

    boolean has(String name) {
        return options.containsKey(name);
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    /** The option's last value. */
    Optional<String> option(String name) {
        List<String> values = options.get(name);
        return values == null ? Optional.empty() : Optional.of(values.getLast());
    }

    String required(String name, String usage) {
        return option(name).orElseThrow(() -> new UsageException("Missing " + name + ". Usage: " + usage));
    }

    /** Every value of a repeatable option, in order. */
    List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    int intOption(String name, int fallback) {
        Optional<String> value = option(name);
        try {
            return value.map(Integer::parseInt).orElse(fallback);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " takes a number, got: " + value.get());
        }
    }

    /** The positional word at {@code index}; a usage error naming it when it is missing. */
    String positional(int index, String usage) {
        if (index >= positional.size()) {
            throw new UsageException("Usage: " + LocalMain.PROGRAM + " " + usage);
        }
        return positional.get(index);
    }

    /** {@code --template}, default ./template.yaml. */
    Path template() {
        return Path.of(option(LocalMain.TEMPLATE).orElse("template.yaml"));
    }

    /** {@code --data}, default ./.local. */
    Path data() {
        return Path.of(option(LocalMain.DATA).orElse(".local"));
    }

    /** The {@code --template}/{@code --data}/{@code --aws-endpoint} given, as arguments to repeat in suggested commands. */
    String commonArguments() {
        return (has(LocalMain.TEMPLATE) ? " " + LocalMain.TEMPLATE + " " + template() : "")
                + (has(LocalMain.DATA) ? " " + LocalMain.DATA + " " + data() : "")
                + (has(LocalMain.AWS_ENDPOINT) ? " " + LocalMain.AWS_ENDPOINT + " " + option(LocalMain.AWS_ENDPOINT).get() : "");
    }

    /**
     * External AWS endpoints to use instead of the embedded emulators: {@code --aws-endpoint}, else
     * the AWS_ENDPOINT_URL variables of the environment; empty for the embedded emulators.
     */
    Optional<AwsEndpoints> awsEndpoints(java.util.Map<String, String> environment) {
        try {
            Optional<String> given = option(LocalMain.AWS_ENDPOINT);
            return given.isPresent() ? Optional.of(AwsEndpoints.of(java.net.URI.create(given.get())))
                    : AwsEndpoints.fromEnvironment(environment);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
