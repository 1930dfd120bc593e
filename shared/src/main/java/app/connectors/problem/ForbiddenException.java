package app.connectors.problem;

import java.util.List;

/** HTTP 403: Forbidden. */
public final class ForbiddenException extends ApiException {

    public ForbiddenException(String message) {
        super(message, List.of());
    }

    @Override
    public int status() {
        return 403;
    }

    @Override
    public String title() {
        return "Forbidden";
    }

    @Override
    public String type() {
        return "forbidden";
    }
}
