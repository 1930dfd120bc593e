package app.connectors.problem;

import java.util.List;

/** HTTP 415: the request body is not declared as JSON. */
public final class UnsupportedMediaTypeException extends ApiException {

    public UnsupportedMediaTypeException(String message) {
        super(message, List.of());
    }

    @Override
    public int status() {
        return 415;
    }

    @Override
    public String title() {
        return "Unsupported media type";
    }

    @Override
    public String type() {
        return "unsupported-media-type";
    }
}
