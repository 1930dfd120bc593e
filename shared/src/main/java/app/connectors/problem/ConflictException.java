package app.connectors.problem;

import java.util.List;

/** HTTP 409: Conflict. */
public final class ConflictException extends ApiException {

    public ConflictException(String message) {
        super(message, List.of());
    }

    @Override
    public int status() {
        return 409;
    }

    @Override
    public String title() {
        return "Conflict";
    }

    @Override
    public String type() {
        return "conflict";
    }
}
