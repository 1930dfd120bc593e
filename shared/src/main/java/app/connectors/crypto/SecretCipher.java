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
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of connector secrets, bound to their connector.
 *
 * <p>Format 2 (what {@link #encrypt} writes): a root data key, issued by the master key (KMS on AWS,
 * a key file locally) once per execution environment and stored wrapped beside each ciphertext; a
 * per-connector key derived from it with HKDF-SHA256 (a random salt per secret, and the connector's
 * encryption context, user and connector, in the derivation's info); AES-256-GCM under that key,
 * with the same context as associated data. A ciphertext copied to another connector therefore
 * fails: its derived key and its associated data both differ. Unwrapped root keys are cached for
 * {@value #ROOT_KEY_TTL_MINUTES} minutes, keyed by their wrapped bytes, so a deliverer decrypting
 * thousands of connectors' secrets asks KMS about once per root key, not once per connector (the
 * cost decision is in docs/decisions). The trade-off: KMS audits the root key's use, not each
 * connector's.
 *
 * <p>Format 1 (written before): one data key per secret, wrapped with the connector's context. It
 * stays readable; its unwrapped keys are cached too.
 *
 * <pre>{@code
 * SecretCipher cipher = SecretCipher.from(settings);
 * byte[] sealed = cipher.encrypt(json, Map.of("userId", u, "connectorId", c));
 * byte[] json2 = cipher.decrypt(sealed, Map.of("userId", u, "connectorId", c));
 * }</pre>
 */
public final class SecretCipher {

    private static final byte FORMAT_PER_SECRET_KEY = 1;
    private static final byte FORMAT_DERIVED_KEY = 2;
    /** The master key's encryption context for root keys: what they are for, nothing per connector. */
    static final Map<String, String> ROOT_KEY_CONTEXT = Map.of("purpose", "connector-secrets");
    private static final byte[] DERIVATION_LABEL = "connectors secret key v2\n".getBytes(StandardCharsets.UTF_8);
    private static final int SALT_BYTES = 16;
    private static final int CACHE_ENTRIES = 512;
    static final int ROOT_KEY_TTL_MINUTES = 60;
    private static final Duration CACHE_TTL = Duration.ofMinutes(ROOT_KEY_TTL_MINUTES);
    /** A root key encrypts for this long in one environment before a fresh one is issued. */
    private static final Duration ROOT_KEY_USE = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataKeySource keys;
    private final Clock clock;
    private final Map<ByteBuffer, CachedKey> unwrapped = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, CachedKey> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };
    private CurrentRootKey current;

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
        CurrentRootKey root = currentRootKey();
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] key = derive(root.plaintext(), salt, context);
        try {
            byte[] sealed = AesGcm.seal(new SecretKeySpec(key, "AES"), plaintext, EncryptionContext.aad(context));
            return ByteBuffer.allocate(1 + 2 + root.wrapped().length + SALT_BYTES + sealed.length)
                    .put(FORMAT_DERIVED_KEY)
                    .putShort((short) root.wrapped().length)
                    .put(root.wrapped())
                    .put(salt)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt secret", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    public byte[] decrypt(byte[] envelope, Map<String, String> context) {
        ByteBuffer in = ByteBuffer.wrap(envelope);
        byte format = envelope.length < 3 ? 0 : in.get();
        if (format != FORMAT_PER_SECRET_KEY && format != FORMAT_DERIVED_KEY) {
            throw new SecretDecryptionException("unknown secret format", null);
        }
        int wrappedLength = Short.toUnsignedInt(in.getShort());
        int saltLength = format == FORMAT_DERIVED_KEY ? SALT_BYTES : 0;
        if (wrappedLength + saltLength > in.remaining()) {
            throw new SecretDecryptionException("truncated secret", null);
        }
        byte[] wrapped = new byte[wrappedLength];
        in.get(wrapped);
        byte[] key;
        if (format == FORMAT_DERIVED_KEY) {
            byte[] salt = new byte[SALT_BYTES];
            in.get(salt);
            key = derive(unwrap(wrapped, ROOT_KEY_CONTEXT), salt, context);
        } else {
            key = unwrap(wrapped, context).clone();
        }
        byte[] sealed = new byte[in.remaining()];
        in.get(sealed);
        try {
            return AesGcm.open(new SecretKeySpec(key, "AES"), sealed, EncryptionContext.aad(context));
        } catch (GeneralSecurityException e) {
            throw new SecretDecryptionException("secret does not decrypt with its data key and this context", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The connector's own key: HKDF of the root key, with the salt and the connector's context. */
    private static byte[] derive(byte[] root, byte[] salt, Map<String, String> context) {
        byte[] aad = EncryptionContext.aad(context);
        byte[] info = ByteBuffer.allocate(DERIVATION_LABEL.length + aad.length).put(DERIVATION_LABEL).put(aad).array();
        return Hkdf.derive(root, salt, info);
    }

    private synchronized CurrentRootKey currentRootKey() {
        Instant now = clock.instant();
        if (current == null || !now.isBefore(current.until())) {
            var dataKey = keys.generate(ROOT_KEY_CONTEXT);
            current = new CurrentRootKey(dataKey.plaintext(), dataKey.wrapped(), now.plus(ROOT_KEY_USE));
            remember(cacheKey(dataKey.wrapped(), ROOT_KEY_CONTEXT), dataKey.plaintext(), now);
        }
        return current;
    }

    /** A wrapped key in plaintext, from the cache or the master key; do not modify the array. */
    private byte[] unwrap(byte[] wrapped, Map<String, String> context) {
        // The cache key includes the context so that a wrapped key copied to another connector
        // still has to pass the master key's context check.
        ByteBuffer cacheKey = cacheKey(wrapped, context);
        Instant now = clock.instant();
        synchronized (unwrapped) {
            CachedKey cached = unwrapped.get(cacheKey);
            if (cached != null && cached.expires().isAfter(now)) {
                return cached.key();
            }
        }
        byte[] key = keys.unwrap(wrapped, context);
        remember(cacheKey, key, now);
        return key;
    }

    private void remember(ByteBuffer cacheKey, byte[] key, Instant now) {
        synchronized (unwrapped) {
            unwrapped.put(cacheKey, new CachedKey(key, now.plus(CACHE_TTL)));
        }
    }

    private static ByteBuffer cacheKey(byte[] wrapped, Map<String, String> context) {
        return ByteBuffer.wrap((new String(EncryptionContext.aad(context), StandardCharsets.UTF_8)
                + Base64.getEncoder().encodeToString(wrapped)).getBytes(StandardCharsets.UTF_8));
    }

    private record CachedKey(byte[] key, Instant expires) {
    }

    private record CurrentRootKey(byte[] plaintext, byte[] wrapped, Instant until) {
    }
}
