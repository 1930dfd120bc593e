package app.connectors.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class StandardWebhookSignerTest {

    // The test vector published with the Standard Webhooks specification (the same one the
    // standardwebhooks and svix libraries test against). Checked independently with:
    //   printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}' \
    //     | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(echo -n MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | base64 -d | xxd -p -c 256) -binary | base64
    private static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long VECTOR_TIMESTAMP = 1614265330L;
    private static final byte[] VECTOR_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static final Instant NOW = Instant.ofEpochSecond(VECTOR_TIMESTAMP);
    private final StandardWebhookSigner signer =
            new StandardWebhookSigner(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5), new SecureRandom());

    @Test
    void signsThePublishedTestVector() {
        assertThat(signer.sign(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY, VECTOR_SECRET)).isEqualTo(VECTOR_SIGNATURE);
    }

    @Test
    void verifiesThePublishedTestVector() {
        assertThat(signer.verify(VECTOR_ID, Long.toString(VECTOR_TIMESTAMP), VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_SECRET)).isTrue();
    }

    @Test
    void newSecretIsWhsecAndTheBase64Of32RandomBytes() {
        // GIVEN two new secrets
        String first = signer.newSecret();
        String second = signer.newSecret();

        // THEN each is whsec_ + base64 of 32 bytes, and they differ
        assertThat(first).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(first.substring("whsec_".length()))).hasSize(32);
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void headersSignedNowVerifyOnTheReceiverSide() {
        // GIVEN a fresh secret and a body
        String secret = signer.newSecret();
        byte[] body = "{\"id\":\"evt_1\"}".getBytes(StandardCharsets.UTF_8);

        // WHEN headers are made now
        StandardWebhookSigner.Headers headers = signer.headers("evt_1:conn_9", body, secret);

        // THEN they carry the id and the current time, and verify
        assertThat(headers.asMap()).containsOnlyKeys("webhook-id", "webhook-timestamp", "webhook-signature");
        assertThat(headers.timestamp()).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(signer.verify(headers.id(), headers.timestamp(), headers.signature(), body, secret)).isTrue();
    }

    @Test
    void rejectsATamperedBody() {
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThat(signer.verify(VECTOR_ID, Long.toString(VECTOR_TIMESTAMP), VECTOR_SIGNATURE, tampered, VECTOR_SECRET)).isFalse();
    }

    @Test
    void rejectsAnotherMessageIdOrSecret() {
        String ts = Long.toString(VECTOR_TIMESTAMP);
        assertThat(signer.verify("msg_other", ts, VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_SECRET)).isFalse();
        assertThat(signer.verify(VECTOR_ID, ts, VECTOR_SIGNATURE, VECTOR_BODY, signer.newSecret())).isFalse();
    }

    @Test
    void rejectsATimestampOutsideTheTolerance() {
        // GIVEN a receiver whose clock is six minutes after the signature
        StandardWebhookSigner later = new StandardWebhookSigner(
                Clock.fixed(NOW.plus(Duration.ofMinutes(6)), ZoneOffset.UTC), Duration.ofMinutes(5), new SecureRandom());

        // WHEN it verifies THEN the otherwise valid signature is refused as a possible replay
        assertThat(later.verify(VECTOR_ID, Long.toString(VECTOR_TIMESTAMP), VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_SECRET)).isFalse();
    }

    @Test
    void acceptsAnyOfSeveralSignaturesDuringASecretRotation() {
        String header = "v1,bm90IHRoZSByaWdodCBvbmU= " + VECTOR_SIGNATURE;
        assertThat(signer.verify(VECTOR_ID, Long.toString(VECTOR_TIMESTAMP), header, VECTOR_BODY, VECTOR_SECRET)).isTrue();
    }

    @Test
    void treatsMalformedHeadersAsInvalid() {
        assertThat(signer.verify(VECTOR_ID, "yesterday", VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_SECRET)).isFalse();
        assertThat(signer.verify(VECTOR_ID, Long.toString(VECTOR_TIMESTAMP), "v1,%%%", VECTOR_BODY, VECTOR_SECRET)).isFalse();
        assertThat(signer.verify(VECTOR_ID, Long.toString(VECTOR_TIMESTAMP), "v2," + VECTOR_SIGNATURE.substring(3), VECTOR_BODY, VECTOR_SECRET)).isFalse();
    }

    @Test
    void refusesAMalformedSecretWithoutEchoingIt() {
        assertThatThrownBy(() -> signer.sign("m", 1, VECTOR_BODY, "whsec_not base64!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("not base64!");
    }

    @Test
    void rotationHeadersCarryOneSignaturePerSecretAndEachVerifies() {
        // GIVEN two secrets, as during a rotation
        StandardWebhookSigner signer = new StandardWebhookSigner();
        String current = signer.newSecret();
        String previous = signer.newSecret();
        byte[] body = "{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        // WHEN headers are signed with both
        var headers = signer.headers("msg_1", body, java.util.List.of(current, previous));

        // THEN there are two space-separated v1 signatures and a receiver holding either secret accepts them
        assertThat(headers.signature().split(" ")).hasSize(2).allMatch(part -> part.startsWith("v1,"));
        assertThat(signer.verify("msg_1", headers.timestamp(), headers.signature(), body, current)).isTrue();
        assertThat(signer.verify("msg_1", headers.timestamp(), headers.signature(), body, previous)).isTrue();
        assertThat(signer.verify("msg_1", headers.timestamp(), headers.signature(), body, signer.newSecret())).isFalse();
    }
}
