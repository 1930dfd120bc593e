package app.connectors.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The local stack's stand-in for KMS: a 256-bit master key in a file (created with owner-only
 * permissions on first use) wraps data keys with AES-GCM, the encryption context as associated
 * data. Never used on AWS.
 */
public final class LocalKeyFileDataKeySource implements DataKeySource {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey master;

    public LocalKeyFileDataKeySource(Path keyFile) {
        this.master = new SecretKeySpec(loadOrCreate(keyFile), "AES");
    }

    @Override
    public DataKey generate(Map<String, String> context) {
        byte[] plaintext = new byte[32];
        RANDOM.nextBytes(plaintext);
        try {
            return new DataKey(plaintext, AesGcm.seal(master, plaintext, EncryptionContext.aad(context)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot wrap a data key", e);
        }
    }

    @Override
    public byte[] unwrap(byte[] wrapped, Map<String, String> context) {
        try {
            return AesGcm.open(master, wrapped, EncryptionContext.aad(context));
        } catch (GeneralSecurityException e) {
            throw new SecretDecryptionException("data key does not unwrap with the local master key and this context", e);
        }
    }

    private static byte[] loadOrCreate(Path keyFile) {
        try {
            if (Files.exists(keyFile)) {
                byte[] key = Files.readAllBytes(keyFile);
                if (key.length != 32) {
                    throw new IllegalStateException("local key file " + keyFile + " must hold 32 bytes; delete it to start afresh (stored secrets become unreadable)");
                }
                return key;
            }
            Files.createDirectories(keyFile.toAbsolutePath().getParent());
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            try {
                Files.write(keyFile, key, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                try {
                    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // Not a POSIX file system: the file keeps the platform's default permissions.
                }
                return key;
            } catch (FileAlreadyExistsException raced) {
                // Another process of the local stack created it first; use theirs.
                return Files.readAllBytes(keyFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create local key file " + keyFile, e);
        }
    }
}
