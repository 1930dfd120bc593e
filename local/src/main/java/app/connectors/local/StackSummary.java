package app.connectors.local;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * What the {@code start} banner knows about the stack that just started, for the commands'
 * {@link LocalCommand#hints}.
 *
 * @param commonArguments the {@code --template}/{@code --data} arguments {@code start} was given, to
 *                        repeat in every suggested command (empty, or starting with a space)
 * @param gatewayUrl      the API's base URL; null when the template has no API routes
 * @param queues          the queues' logical ids
 * @param existingUsers   some user ids already stored (data kept from an earlier run); empty on a fresh stack
 */
record StackSummary(String commonArguments, URI gatewayUrl, Set<String> queues, List<String> existingUsers) {

    StackSummary {
        queues = Set.copyOf(queues);
        existingUsers = List.copyOf(existingUsers);
    }

    /** A command to copy: {@code bin/local <arguments>} plus the common arguments. */
    String command(String arguments) {
        return LocalMain.PROGRAM + " " + arguments + commonArguments;
    }
}
