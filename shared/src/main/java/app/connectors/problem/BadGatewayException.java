package app.connectors.problem;

import java.util.List;

/** HTTP 502: a service this one called on the user's behalf (e.g. their Windmill) failed or could not be reached. */
public final class BadGatewayException extends ApiException {

    public BadGatewayException(String message) {
        super(message, List.of());
    }

    @Override
    public int status() {
        return 502;
    }

    @Override
    public String title() {
        return "Bad Gateway";
    }

    @Override
    public String type() {
        return "bad-gateway";
    }
}
