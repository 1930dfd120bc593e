package app.connectors.connector;

import app.connectors.problem.FieldError;
import java.util.Optional;

/** Checks transformation source at save time: a syntax error or a missing handler is reported with line and column. */
@FunctionalInterface
public interface TransformationCheck {

    Optional<FieldError> check(String source);
}
