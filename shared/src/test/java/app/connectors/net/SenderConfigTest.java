package app.connectors.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SenderConfigTest {

    @Test
    void environmentWithoutTimeoutsGivesTheProductionTimeouts() {
        SenderConfig config = SenderConfig.fromEnvironment(Map.of(Settings.ALLOW_PLAIN_HTTP, "true"));

        assertThat(config).isEqualTo(SenderConfig.production().withPlainHttpAllowed());
    }

    @Test
    void timeoutsFromTheEnvironmentReplaceTheProductionOnes() {
        SenderConfig config = SenderConfig.fromEnvironment(Map.of(
                Settings.SENDER_CONNECT_TIMEOUT_MS, "500",
                Settings.SENDER_RESPONSE_TIMEOUT_MS, "1500",
                Settings.SENDER_DEADLINE_MS, "2500"));

        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.responseTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.deadline()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.allowPlainHttp()).isFalse();
    }

    @Test
    void timeoutsLongerThanTheFifteenSecondDeadlineAreCapped() {
        SenderConfig config = SenderConfig.fromEnvironment(Map.of(
                Settings.SENDER_RESPONSE_TIMEOUT_MS, "60000",
                Settings.SENDER_DEADLINE_MS, "60000"));

        assertThat(config.responseTimeout()).isEqualTo(SenderConfig.MAX_DEADLINE);
        assertThat(config.deadline()).isEqualTo(SenderConfig.MAX_DEADLINE);
    }

    @Test
    void timeoutThatIsNotAPositiveNumberFailsNamingTheVariable() {
        assertThatThrownBy(() -> SenderConfig.fromEnvironment(Map.of(Settings.SENDER_DEADLINE_MS, "3s")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(Settings.SENDER_DEADLINE_MS);
        assertThatThrownBy(() -> SenderConfig.fromEnvironment(Map.of(Settings.SENDER_CONNECT_TIMEOUT_MS, "0")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(Settings.SENDER_CONNECT_TIMEOUT_MS);
    }
}
