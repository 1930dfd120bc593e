package app.connectors.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretCipherTest {

    private static final Map<String, String> CONTEXT = Map.of("userId", "user-1", "connectorId", "c-1");
    private static final byte[] SECRET = "{\"webhook_url\":\"https://hooks.slack.com/services/T/B/secret\"}"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private SecretCipher cipher(Path keyFile) {
        return new SecretCipher(new LocalKeyFileDataKeySource(keyFile), Clock.systemUTC());
    }

    @Test
    void decryptsWhatItEncrypted() {
        SecretCipher cipher = cipher(dir.resolve("master.key"));

        byte[] sealed = cipher.encrypt(SECRET, CONTEXT);

        assertThat(cipher.decrypt(sealed, CONTEXT)).isEqualTo(SECRET);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("hooks.slack.com");
    }

    @Test
    void sealsTheSameSecretDifferentlyEachTime() {
        SecretCipher cipher = cipher(dir.resolve("master.key"));

        assertThat(cipher.encrypt(SECRET, CONTEXT)).isNotEqualTo(cipher.encrypt(SECRET, CONTEXT));
    }

    @Test
    void refusesToDecryptForAnotherConnector() {
        // GIVEN a secret sealed for connector c-1
        SecretCipher cipher = cipher(dir.resolve("master.key"));
        byte[] sealed = cipher.encrypt(SECRET, CONTEXT);

        // WHEN it is opened as connector c-2's (a ciphertext copied between items)
        // THEN it does not decrypt
        assertThatThrownBy(() -> cipher.decrypt(sealed, Map.of("userId", "user-1", "connectorId", "c-2")))
                .isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void refusesToDecryptForAnotherConnectorAfterTheDataKeyWasCached() {
        // GIVEN the data key already unwrapped (and cached) for the right context
        SecretCipher cipher = cipher(dir.resolve("master.key"));
        byte[] sealed = cipher.encrypt(SECRET, CONTEXT);
        cipher.decrypt(sealed, CONTEXT);

        // THEN another context still has to pass the master key's check
        assertThatThrownBy(() -> cipher.decrypt(sealed, Map.of("userId", "user-2", "connectorId", "c-1")))
                .isInstanceOf(SecretDecryptionException.class);
    }

    @ParameterizedTest(name = "byte {0} from the end")
    @ValueSource(ints = {1, 20, 60})
    void refusesATamperedCiphertext(int fromEnd) {
        SecretCipher cipher = cipher(dir.resolve("master.key"));
        byte[] sealed = cipher.encrypt(SECRET, CONTEXT);
        sealed[sealed.length - fromEnd] ^= 0x01;

        assertThatThrownBy(() -> cipher.decrypt(sealed, CONTEXT)).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void refusesATamperedWrappedDataKey() {
        // GIVEN a change inside the wrapped data key (it starts after the format byte and its 2-byte length)
        SecretCipher cipher = cipher(dir.resolve("master.key"));
        byte[] sealed = cipher.encrypt(SECRET, CONTEXT);
        sealed[3 + 5] ^= 0x01;

        assertThatThrownBy(() -> cipher.decrypt(sealed, CONTEXT)).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void refusesAnUnknownFormatAndATruncatedEnvelope() {
        SecretCipher cipher = cipher(dir.resolve("master.key"));
        byte[] sealed = cipher.encrypt(SECRET, CONTEXT);
        byte[] otherFormat = sealed.clone();
        otherFormat[0] = 3;

        assertThatThrownBy(() -> cipher.decrypt(otherFormat, CONTEXT)).isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining("unknown secret format");
        assertThatThrownBy(() -> cipher.decrypt(new byte[] {1, 0x7f, 0x7f, 0}, CONTEXT)).isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void secretsSealedInTheFormerPerSecretKeyFormatStayReadable() throws Exception {
        // GIVEN a secret sealed the way format 1 did: its own data key, wrapped with the connector's context
        LocalKeyFileDataKeySource master = new LocalKeyFileDataKeySource(dir.resolve("master.key"));
        var dataKey = master.generate(CONTEXT);
        byte[] sealed = AesGcm.seal(new javax.crypto.spec.SecretKeySpec(dataKey.plaintext(), "AES"), SECRET,
                EncryptionContext.aad(CONTEXT));
        byte[] formatOne = java.nio.ByteBuffer.allocate(3 + dataKey.wrapped().length + sealed.length).put((byte) 1)
                .putShort((short) dataKey.wrapped().length).put(dataKey.wrapped()).put(sealed).array();

        // THEN today's cipher opens it for that connector, and for no other
        SecretCipher cipher = new SecretCipher(master, Clock.systemUTC());
        assertThat(cipher.decrypt(formatOne, CONTEXT)).isEqualTo(SECRET);
        assertThatThrownBy(() -> cipher.decrypt(formatOne, Map.of("userId", "user-1", "connectorId", "c-2")))
                .isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void decryptingAThousandConnectorsSecretsAsksTheMasterKeyOnce() {
        // GIVEN a thousand connectors whose secrets one environment sealed (one root key issued)
        CountingKeys master = new CountingKeys(new LocalKeyFileDataKeySource(dir.resolve("master.key")));
        SecretCipher writer = new SecretCipher(master, Clock.systemUTC());
        java.util.List<byte[]> sealed = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sealed.add(writer.encrypt(SECRET, Map.of("userId", "user-" + i, "connectorId", "c-" + i)));
        }

        // WHEN a fresh environment (a deliverer) decrypts all of them
        SecretCipher reader = new SecretCipher(master, Clock.systemUTC());
        for (int i = 0; i < 1000; i++) {
            assertThat(reader.decrypt(sealed.get(i), Map.of("userId", "user-" + i, "connectorId", "c-" + i))).isEqualTo(SECRET);
        }

        // THEN the master key (KMS) was asked once to issue and once to unwrap, not once per connector
        assertThat(master.generated).isEqualTo(1);
        assertThat(master.unwrapped).isEqualTo(1);
    }

    @Test
    void derivedKeysFollowRfc5869() {
        // RFC 5869, test case 1 (the first 32 bytes of its 42-byte output)
        byte[] ikm = new byte[22];
        java.util.Arrays.fill(ikm, (byte) 0x0b);
        byte[] salt = java.util.HexFormat.of().parseHex("000102030405060708090a0b0c");
        byte[] info = java.util.HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9");

        assertThat(java.util.HexFormat.of().formatHex(Hkdf.derive(ikm, salt, info)))
                .isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
    }

    /** Counts what the master key is asked. */
    private static final class CountingKeys implements DataKeySource {
        private final DataKeySource delegate;
        int generated;
        int unwrapped;

        CountingKeys(DataKeySource delegate) {
            this.delegate = delegate;
        }

        @Override
        public synchronized DataKey generate(Map<String, String> context) {
            generated++;
            return delegate.generate(context);
        }

        @Override
        public synchronized byte[] unwrap(byte[] wrapped, Map<String, String> context) {
            unwrapped++;
            return delegate.unwrap(wrapped, context);
        }
    }

    @Test
    void createsTheKeyFileWith32BytesReadableByItsOwnerOnly() throws Exception {
        Path keyFile = dir.resolve("nested/master.key");

        new LocalKeyFileDataKeySource(keyFile);

        assertThat(Files.readAllBytes(keyFile)).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    }

    @Test
    void reusesTheKeyFileInASecondInstance() throws Exception {
        // GIVEN a secret sealed by a first instance
        Path keyFile = dir.resolve("master.key");
        byte[] sealed = cipher(keyFile).encrypt(SECRET, CONTEXT);
        byte[] key = Files.readAllBytes(keyFile);

        // WHEN a second instance starts on the same file
        SecretCipher second = cipher(keyFile);

        // THEN it keeps the key and decrypts the first instance's data
        assertThat(Files.readAllBytes(keyFile)).isEqualTo(key);
        assertThat(second.decrypt(sealed, CONTEXT)).isEqualTo(SECRET);
    }

    @Test
    void anotherKeyFileCannotDecrypt() {
        byte[] sealed = cipher(dir.resolve("a.key")).encrypt(SECRET, CONTEXT);

        assertThatThrownBy(() -> cipher(dir.resolve("b.key")).decrypt(sealed, CONTEXT))
                .isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void refusesAKeyFileOfTheWrongLength() throws Exception {
        Path keyFile = dir.resolve("short.key");
        Files.write(keyFile, new byte[16]);

        assertThatThrownBy(() -> new LocalKeyFileDataKeySource(keyFile)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must hold 32 bytes");
    }
}
