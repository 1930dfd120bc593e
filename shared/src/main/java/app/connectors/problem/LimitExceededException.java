package app.connectors.problem;

import java.util.List;

/** HTTP 403: Plan limit reached. */
public final class LimitExceededException extends ApiException {

    public LimitExceededException(String message) {
        super(message, List.of());
    }

    @Override
    public int status() {
        return 403;
    }

    @Override
    public String title() {
        return "Plan limit reached";
    }

    @Override
    public String type() {
        return "limit-exceeded";
    }
}
