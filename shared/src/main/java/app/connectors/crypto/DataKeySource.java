package app.connectors.crypto;

import java.util.Map;

/**
 * Issues and unwraps data keys for envelope encryption: KMS on AWS, a local key file on the local
 * stack. The encryption context is bound to the wrapped key, so a key wrapped for one connector
 * cannot be unwrapped for another.
 */
public interface DataKeySource {

    /** A fresh 256-bit data key, in plaintext and wrapped by the master key. */
    DataKey generate(Map<String, String> context);

    /** The plaintext of a wrapped data key. */
    byte[] unwrap(byte[] wrapped, Map<String, String> context);

    /** A data key: use {@code plaintext} to encrypt, store {@code wrapped} beside the ciphertext. */
    record DataKey(byte[] plaintext, byte[] wrapped) {
    }
}
