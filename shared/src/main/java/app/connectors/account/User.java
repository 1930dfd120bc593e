package app.connectors.account;

import app.connectors.problem.FieldError;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/** A user of the host platform as this service knows it: its plan and how many connectors it has. */
public record User(String userId, Tier tier, int connectorCount, Instant createdAt, Instant updatedAt) {

    /** What a host platform's user id may be: short, printable, and a valid key everywhere it is stored. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._@:+-]{1,128}");

    /** Why {@code userId} cannot name a user (as the error on field {@code userId}), or empty when it can. */
    public static Optional<FieldError> idError(String userId) {
        if (userId != null && ID.matcher(userId).matches()) {
            return Optional.empty();
        }
        return Optional.of(new FieldError("userId", "userId must be 1 to 128 characters of letters, digits and . _ @ : + -"));
    }
}
