package app.connectors.problem;

import java.util.List;

/** HTTP 422: the request is well-formed but cannot be processed as sent (an idempotency key reused with another body). */
public final class UnprocessableContentException extends ApiException {

    public UnprocessableContentException(String message) {
        super(message, List.of());
    }

    @Override
    public int status() {
        return 422;
    }

    @Override
    public String title() {
        return "Unprocessable content";
    }

    @Override
    public String type() {
        return "unprocessable-content";
    }
}
