package app.connectors.problem;

import java.util.List;

/** HTTP 401: Unauthorized. */
public final class UnauthorizedException extends ApiException {

    public UnauthorizedException(String message) {
        super(message, List.of());
    }

    @Override
    public int status() {
        return 401;
    }

    @Override
    public String title() {
        return "Unauthorized";
    }

    @Override
    public String type() {
        return "unauthorized";
    }
}
