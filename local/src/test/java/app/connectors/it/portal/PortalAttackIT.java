package app.connectors.it.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Security review of the App Portal against the real template, gateway and DynamoDB Local: what an
 * attacker (or a careless caller) can make the portal's entry points do.
 */
class PortalAttackIT {

    private static PortalStack stack;

    @BeforeAll
    static void start() {
        stack = PortalStack.start();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /**
     * AccountsFunction's portal-link action holds userId to the same rule as every account action:
     * "" and ids over 2048 bytes get {"ok": false, "status": 400} naming userId, never a DynamoDB
     * exception out of the handler (found by the security review: the rule was once skipped here).
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 3000})
    void aBlankOrOverlongUserIdIsAFieldErrorNotALambdaError(int length) {
        AtomicReference<JsonNode> answer = new AtomicReference<>();

        Throwable thrown = catchThrowable(() -> answer.set(stack.accounts(Map.of("action", "portal-link", "userId", "u".repeat(length)))));

        assertThat(thrown).as("what the handler threw for a userId of %d characters", length).isNull();
        assertThat(answer.get().path("ok").asBoolean(true)).isFalse();
        assertThat(answer.get().path("status").asInt()).isEqualTo(400);
        assertThat(answer.get().at("/errors/0/field").asText()).isEqualTo("userId");
    }
}
