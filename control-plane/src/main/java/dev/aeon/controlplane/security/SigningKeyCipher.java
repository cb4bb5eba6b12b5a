package dev.aeon.controlplane.security;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Seals the private parts of signing keys before they reach PostgreSQL (AES-256-GCM under
 * {@code aeon.control-plane.signing-keys.encryption-key}, the kid as associated data so a sealed key cannot be moved
 * to another
 * row): a copy of the database alone cannot mint API keys. Stored values are {@code aes256gcm:<base64 nonce +
 * ciphertext>}; a value without the prefix is a key stored before encryption (or without a configured key) and is
 * read as it is.
 */
final class SigningKeyCipher {

    static final String CONFIG = "aeon.control-plane.signing-keys.encryption-key";
    private static final String PREFIX = "aes256gcm:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SigningKeyCipher(SecretKeySpec key) {
        this.key = key;
    }

    /** From the configured base64 key; without one, values are stored as they are. */
    static SigningKeyCipher of(Optional<String> base64) {
        if (base64.isEmpty() || base64.get().isBlank()) {
            return new SigningKeyCipher(null);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.get().trim());
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(CONFIG + ": must be base64 of 32 random bytes (openssl rand -base64 32)");
        }
        return new SigningKeyCipher(new SecretKeySpec(bytes, "AES"));
    }

    boolean enabled() {
        return key != null;
    }

    static boolean sealed(String stored) {
        return stored.startsWith(PREFIX);
    }

    String seal(String kid, String privateKey) {
        if (key == null) {
            return privateKey;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(privateKey.getBytes(StandardCharsets.US_ASCII));
            return PREFIX + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt signing key " + kid, e);
        }
    }

    String open(String kid, String stored) {
        if (!sealed(stored)) {
            return stored;
        }
        if (key == null) {
            throw new IllegalStateException("signing key " + kid + " is stored encrypted; set " + CONFIG);
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(CONFIG + " does not decrypt signing key " + kid
                    + " (a different key than the one it was stored with?)", e);
        }
    }
}
