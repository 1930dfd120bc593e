package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventPublisherNewIdTest {

    @Test
    void aNewIdChangesTheIdAndKeepsEveryNumberAsWritten() throws Exception {
        // GIVEN a file whose data holds numbers a double would write differently
        String file = "{\"id\":\"evt_file\",\"type\":\"promise.created\",\"data\":{\"million\":1e6,\"price\":1.10,"
                + "\"long\":12345678901234567890.123456789,\"negativeZero\":-0.0}}";

        // WHEN it is published with --new-id
        String published = EventPublisher.withNewId(file);

        // THEN only the id differs
        assertThat(published).startsWith("{\"id\":\"evt_local_").doesNotContain("evt_file")
                .endsWith(",\"type\":\"promise.created\",\"data\":{\"million\":1e6,\"price\":1.10,"
                        + "\"long\":12345678901234567890.123456789,\"negativeZero\":-0.0}}");
    }

    @Test
    void aFileThatIsNotOneJsonObjectIsRefused() {
        for (String file : new String[] {"[1]", "{\"id\":", "{} {}"}) {
            assertThatThrownBy(() -> EventPublisher.withNewId(file)).as(file)
                    .isInstanceOf(EventPublisher.InvalidEnvelopeException.class);
        }
    }
}
