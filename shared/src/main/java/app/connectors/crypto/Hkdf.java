package app.connectors.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869), for one 32-byte output: the JDK this service targets (21) has
 * no KDF API, and one block of the expand step is all a 256-bit key needs.
 */
final class Hkdf {

    static final int KEY_BYTES = 32;

    private Hkdf() {
    }

    /** {@code OKM = HKDF-Expand(HKDF-Extract(salt, ikm), info, 32)}. */
    static byte[] derive(byte[] ikm, byte[] salt, byte[] info) {
        try {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec(salt.length == 0 ? new byte[KEY_BYTES] : salt, "HmacSHA256"));
            byte[] prk = extract.doFinal(ikm);
            Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(prk, "HmacSHA256"));
            expand.update(info);
            expand.update((byte) 1);
            byte[] okm = expand.doFinal();
            java.util.Arrays.fill(prk, (byte) 0);
            return okm;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
