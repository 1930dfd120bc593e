package app.connectors.it.backend;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test (or every test of the class) runs on the embedded emulators only, and is reported skipped
 * on moto with {@link #value} as the reason: what moto does not implement, or a test of the embedded
 * emulators themselves.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(BackendCondition.class)
public @interface EmbeddedOnly {
    /** Why the test cannot run on moto. */
    String value();
}
