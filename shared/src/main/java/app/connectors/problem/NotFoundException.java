package app.connectors.problem;

import java.util.List;

/** HTTP 404: Not found. */
public final class NotFoundException extends ApiException {

    public NotFoundException(String message) {
        super(message, List.of());
    }

    @Override
    public int status() {
        return 404;
    }

    @Override
    public String title() {
        return "Not found";
    }

    @Override
    public String type() {
        return "not-found";
    }
}
