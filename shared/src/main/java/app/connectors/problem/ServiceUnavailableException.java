package app.connectors.problem;

import java.util.List;

/** HTTP 503: the service cannot do this right now (it is overloaded); the same request may succeed in a moment. */
public final class ServiceUnavailableException extends ApiException {

    public ServiceUnavailableException(String message) {
        super(message, List.of());
    }

    @Override
    public int status() {
        return 503;
    }

    @Override
    public String title() {
        return "Service Unavailable";
    }

    @Override
    public String type() {
        return "service-unavailable";
    }
}
