package dev.aeon.codec.master;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * A master key held in this process (from {@code aeon.codec.master-key} or {@code aeon.codec.master-key-file}).
 * Wraps with AES-256-GCM: {@code nonce (12) || ciphertext || tag (16)}, the context as associated data.
 */
public final class LocalMasterKeyProvider implements MasterKeyProvider {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String keyId;
    private final SecretKeySpec key;

    public LocalMasterKeyProvider(String keyId, byte[] masterKey) {
        if (masterKey.length != 32) {
            throw new MasterKeyException("the master key must be 32 bytes (AES-256), got " + masterKey.length);
        }
        this.keyId = keyId;
        this.key = new SecretKeySpec(masterKey, "AES");
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public byte[] wrap(byte[] dataKey, byte[] context) {
        byte[] out = new byte[NONCE_BYTES + dataKey.length + TAG_BITS / 8];
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context);
            cipher.doFinal(dataKey, 0, dataKey.length, out, NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JVM", e);
        }
    }

    @Override
    public byte[] unwrap(String masterKeyId, byte[] wrapped, byte[] context) {
        if (!keyId.equals(masterKeyId)) {
            throw new MasterKeyException("data key was wrapped by master key '" + masterKeyId + "' but this server"
                    + " holds master key '" + keyId + "' (aeon.codec.master-key-id)");
        }
        if (wrapped.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new MasterKeyException("wrapped data key is " + wrapped.length + " bytes, too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES));
            cipher.updateAAD(context);
            return cipher.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new MasterKeyException("wrapped data key does not authenticate under master key '" + keyId
                    + "': the master key changed, or the stored key or its namespace/key id was altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JVM", e);
        }
    }
}
