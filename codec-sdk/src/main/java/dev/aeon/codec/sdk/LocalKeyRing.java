package dev.aeon.codec.sdk;

import javax.crypto.SecretKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keys held by the application itself: one current key that encrypts, and every older key that still has to
 * decrypt (rotation keeps them). To let the codec server decrypt the same payloads for the Web UI and CLI, import
 * each key into it under the same id ({@code POST /codec/keys/{namespace}} with {@code keyId} and {@code key}).
 */
public final class LocalKeyRing {

    private final String currentKeyId;
    private final Map<String, SecretKey> keys;

    private LocalKeyRing(String currentKeyId, Map<String, SecretKey> keys) {
        this.currentKeyId = currentKeyId;
        this.keys = Map.copyOf(keys);
    }

    /** A ring whose current key is {@code keyId}; add older keys with {@link Builder#add}. */
    public static Builder current(String keyId, byte[] key) {
        return new Builder().add(keyId, key).current(keyId);
    }

    /** Same as {@link #current(String, byte[])} with the key given as base64 (what the codec server accepts). */
    public static Builder current(String keyId, String base64Key) {
        return current(keyId, Base64.getDecoder().decode(base64Key));
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    SecretKey currentKey() {
        return keys.get(currentKeyId);
    }

    /** @return the key, or null if this ring does not hold it */
    SecretKey key(String keyId) {
        return keys.get(keyId);
    }

    public static final class Builder {
        private final Map<String, SecretKey> keys = new LinkedHashMap<>();
        private String current;

        private Builder() {
        }

        /** A key that decrypts payloads recorded with {@code keyId}; 32 bytes (AES-256). */
        public Builder add(String keyId, byte[] key) {
            if (keyId == null || keyId.isBlank()) {
                throw new IllegalArgumentException("keyId is required");
            }
            if (keys.put(keyId, EncryptedPayloadFormat.aesKey(key)) != null) {
                throw new IllegalArgumentException("key id '" + keyId + "' added twice");
            }
            return this;
        }

        /** Same as {@link #add(String, byte[])} with the key given as base64. */
        public Builder add(String keyId, String base64Key) {
            return add(keyId, Base64.getDecoder().decode(base64Key));
        }

        private Builder current(String keyId) {
            this.current = Objects.requireNonNull(keyId);
            return this;
        }

        public LocalKeyRing build() {
            return new LocalKeyRing(current, keys);
        }
    }
}
