package app.connectors.oauth;

import app.connectors.problem.ApiException;
import java.util.List;
import java.util.Locale;

/**
 * Why a Connect flow stored nothing, with a message written for the user. The {@link Reason}'s code
 * is what the portal's page switches on ({@code reason} in its URL or in the problem JSON).
 */
public final class ConnectFailure extends ApiException {

    /** The outcomes the portal tells apart. */
    public enum Reason {
        DENIED(400), PROVIDER_ERROR(502), EXPIRED(400), REPLAYED(409), WRONG_SESSION(403), INVALID_STATE(400),
        REFUSED(400), LIMIT(403), GONE(404), NOT_CONFIGURED(409);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        /** {@code provider_error}: the form used in URLs and JSON. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public ConnectFailure(Reason reason, String message) {
        super(message, List.of());
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public int status() {
        return reason.status;
    }

    @Override
    public String title() {
        return "Connect failed";
    }

    @Override
    public String type() {
        return "connect-" + reason.code().replace('_', '-');
    }
}
