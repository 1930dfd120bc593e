package app.connectors.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** Canonical bytes of an encryption context (sorted key=value lines), used as AES-GCM associated data. */
final class EncryptionContext {

    private EncryptionContext() {
    }

    static byte[] aad(Map<String, String> context) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(context).forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
