package app.connectors.it.backend;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test (or every test of the class) runs on moto only, and is reported skipped on the embedded
 * emulators with {@link #value} as the reason (say, KMS, which the embedded stack replaces by a key file).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(BackendCondition.class)
public @interface MotoOnly {
    /** Why the test cannot run on the embedded emulators. */
    String value();
}
