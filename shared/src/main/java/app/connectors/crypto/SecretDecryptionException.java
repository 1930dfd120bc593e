package app.connectors.crypto;

/** A stored secret cannot be decrypted: wrong key, wrong context or corrupted bytes. */
public final class SecretDecryptionException extends RuntimeException {

    public SecretDecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
