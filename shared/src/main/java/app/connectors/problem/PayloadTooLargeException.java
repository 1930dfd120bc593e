package app.connectors.problem;

import java.util.List;

/** HTTP 413: Payload too large. */
public final class PayloadTooLargeException extends ApiException {

    public PayloadTooLargeException(String message) {
        super(message, List.of());
    }

    @Override
    public int status() {
        return 413;
    }

    @Override
    public String title() {
        return "Payload too large";
    }

    @Override
    public String type() {
        return "payload-too-large";
    }
}
