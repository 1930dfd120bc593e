package app.connectors.problem;

import java.util.List;

/** The request is well-formed JSON but something in it is wrong; every problem is listed. */
public final class ValidationException extends ApiException {

    public ValidationException(String message, List<FieldError> errors) {
        super(message, errors);
    }

    public static ValidationException of(String field, String message) {
        return new ValidationException(message, List.of(new FieldError(field, message)));
    }

    @Override
    public int status() {
        return 400;
    }

    @Override
    public String title() {
        return "Validation failed";
    }

    @Override
    public String type() {
        return "validation";
    }
}
