package app.connectors.crypto;

import app.connectors.config.AwsClients;
import app.connectors.config.Settings;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of connector secrets: each value is sealed with AES-256-GCM under a data
 * key, and the data key is stored wrapped by the master key (KMS on AWS, a key file locally).
 * The encryption context (user and connector) is bound at both layers, so a ciphertext copied to
 * another connector does not decrypt.
 *
 * <p>Unwrapped data keys are cached briefly, keyed by their wrapped bytes: the dispatcher decrypts
 * the same connector's secrets for every event, and one KMS call per delivery would dominate its cost.
 *
 * <pre>{@code
 * SecretCipher cipher = SecretCipher.from(settings);
 * byte[] sealed = cipher.encrypt(json, Map.of("userId", u, "connectorId", c));
 * byte[] json2 = cipher.decrypt(sealed, Map.of("userId", u, "connectorId", c));
 * }</pre>
 */
public final class SecretCipher {

    private static final byte FORMAT_VERSION = 1;
    private static final int CACHE_ENTRIES = 512;
    private static final Duration CACHE_TTL = Duration.ofMinutes(5);

    private final DataKeySource keys;
    private final Clock clock;
    private final Map<ByteBuffer, CachedKey> unwrapped = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, CachedKey> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    public SecretCipher(DataKeySource keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** KMS when SECRETS_KEY_ID names a key; the local key file when LOCAL_KEY_FILE is set (local stack). */
    public static SecretCipher from(Settings settings) {
        var localFile = settings.optional(Settings.LOCAL_KEY_FILE);
        if (localFile.isPresent()) {
            return new SecretCipher(new LocalKeyFileDataKeySource(Path.of(localFile.get())), Clock.systemUTC());
        }
        return new SecretCipher(new KmsDataKeySource(AwsClients.kms(settings), settings.required(Settings.SECRETS_KEY_ID)),
                Clock.systemUTC());
    }

    public byte[] encrypt(byte[] plaintext, Map<String, String> context) {
        var dataKey = keys.generate(context);
        try {
            byte[] sealed = AesGcm.seal(new SecretKeySpec(dataKey.plaintext(), "AES"), plaintext, EncryptionContext.aad(context));
            return ByteBuffer.allocate(1 + 2 + dataKey.wrapped().length + sealed.length)
                    .put(FORMAT_VERSION)
                    .putShort((short) dataKey.wrapped().length)
                    .put(dataKey.wrapped())
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt secret", e);
        } finally {
            java.util.Arrays.fill(dataKey.plaintext(), (byte) 0);
        }
    }

    public byte[] decrypt(byte[] envelope, Map<String, String> context) {
        ByteBuffer in = ByteBuffer.wrap(envelope);
        if (envelope.length < 3 || in.get() != FORMAT_VERSION) {
            throw new SecretDecryptionException("unknown secret format", null);
        }
        int wrappedLength = Short.toUnsignedInt(in.getShort());
        if (wrappedLength > in.remaining()) {
            throw new SecretDecryptionException("truncated secret", null);
        }
        byte[] wrapped = new byte[wrappedLength];
        in.get(wrapped);
        byte[] sealed = new byte[in.remaining()];
        in.get(sealed);
        byte[] key = dataKey(wrapped, context);
        try {
            return AesGcm.open(new SecretKeySpec(key, "AES"), sealed, EncryptionContext.aad(context));
        } catch (GeneralSecurityException e) {
            throw new SecretDecryptionException("secret does not decrypt with its data key and this context", e);
        }
    }

    private byte[] dataKey(byte[] wrapped, Map<String, String> context) {
        // The cache key includes the context so that a wrapped key copied to another connector
        // still has to pass the master key's context check.
        ByteBuffer cacheKey = ByteBuffer.wrap((new String(EncryptionContext.aad(context), java.nio.charset.StandardCharsets.UTF_8)
                + java.util.Base64.getEncoder().encodeToString(wrapped)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Instant now = clock.instant();
        synchronized (unwrapped) {
            CachedKey cached = unwrapped.get(cacheKey);
            if (cached != null && cached.expires().isAfter(now)) {
                return cached.key();
            }
        }
        byte[] key = keys.unwrap(wrapped, context);
        synchronized (unwrapped) {
            unwrapped.put(cacheKey, new CachedKey(key, now.plus(CACHE_TTL)));
        }
        return key;
    }

    private record CachedKey(byte[] key, Instant expires) {
    }
}
