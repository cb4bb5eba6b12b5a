package dev.aeon.codec.sdk;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * The encrypted payload format shared by the Aeon codec server, this SDK and Temporal's encryption samples (Go
 * {@code samples-go/encryption}, Java {@code samples-java encryptedpayloads}), so any of them decrypts what the
 * others encrypt:
 * <ul>
 *   <li>the whole original {@code temporal.api.common.v1.Payload} (metadata and data), serialized, is the plaintext;</li>
 *   <li>AES-256-GCM, a random 96-bit nonce, 128-bit tag, no associated data;
 *       {@code data = nonce (12 bytes) || ciphertext || tag (16 bytes)};</li>
 *   <li>metadata {@code encoding: binary/encrypted}, {@code encryption-key-id: <id>} and, as the Java sample
 *       writes it, {@code encryption-cipher: AES/GCM/NoPadding} (optional when reading).</li>
 * </ul>
 * A payload whose encoding is not {@code binary/encrypted} is not encrypted and passes through decoding unchanged.
 */
public final class EncryptedPayloadFormat {

    public static final String ENCODING_METADATA = "encoding";
    public static final String ENCRYPTED_ENCODING = "binary/encrypted";
    public static final String KEY_ID_METADATA = "encryption-key-id";
    public static final String CIPHER_METADATA = "encryption-cipher";
    public static final String CIPHER = "AES/GCM/NoPadding";
    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BITS = 128;

    private static final ByteString ENCRYPTED_ENCODING_BYTES = ByteString.copyFromUtf8(ENCRYPTED_ENCODING);
    private static final ByteString CIPHER_BYTES = ByteString.copyFromUtf8(CIPHER);
    private static final int TAG_BYTES = TAG_BITS / 8;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Cipher.getInstance looks the provider up on every call; a decode of a history page makes thousands. */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance(CIPHER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JVM", e);
        }
    });

    private EncryptedPayloadFormat() {
    }

    /** An AES-256 key from its 32 bytes; any other length is refused (the format is AES-256 only). */
    public static SecretKey aesKey(byte[] material) {
        if (material == null || material.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key is " + KEY_BYTES + " bytes, got "
                    + (material == null ? "none" : material.length));
        }
        return new SecretKeySpec(material, "AES");
    }

    public static boolean isEncrypted(Payload payload) {
        return ENCRYPTED_ENCODING_BYTES.equals(payload.getMetadataOrDefault(ENCODING_METADATA, null));
    }

    /**
     * The id of the key an encrypted payload needs.
     *
     * @throws PayloadFormatException {@link PayloadFormatException.Reason#MISSING_KEY_ID} if it names none
     */
    public static String keyIdOf(Payload encrypted) {
        ByteString keyId = encrypted.getMetadataOrDefault(KEY_ID_METADATA, null);
        if (keyId == null || keyId.isEmpty()) {
            throw new PayloadFormatException(PayloadFormatException.Reason.MISSING_KEY_ID,
                    "encrypted payload has no '" + KEY_ID_METADATA + "' metadata");
        }
        return keyId.toStringUtf8();
    }

    /** Encrypts the whole payload under {@code key}, recording {@code keyId} in the result's metadata. */
    public static Payload encrypt(Payload plain, String keyId, SecretKey key) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] plaintext = plain.toByteArray();
        byte[] data = new byte[NONCE_BYTES + plaintext.length + TAG_BYTES];
        System.arraycopy(nonce, 0, data, 0, NONCE_BYTES);
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            int written = cipher.doFinal(plaintext, 0, plaintext.length, data, NONCE_BYTES);
            if (written != plaintext.length + TAG_BYTES) {
                throw new IllegalStateException("AES-GCM wrote " + written + " bytes, expected "
                        + (plaintext.length + TAG_BYTES));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JVM", e);
        }
        return Payload.newBuilder()
                .putMetadata(ENCODING_METADATA, ENCRYPTED_ENCODING_BYTES)
                .putMetadata(CIPHER_METADATA, CIPHER_BYTES)
                .putMetadata(KEY_ID_METADATA, ByteString.copyFromUtf8(keyId))
                .setData(ByteString.copyFrom(data))
                .build();
    }

    /**
     * The original payload inside an encrypted one.
     *
     * @param key the key named by {@link #keyIdOf(Payload)}
     * @throws PayloadFormatException naming why: unsupported cipher, data too short, authentication failed
     *                                (tampered, corrupted or another key), or plaintext that is not a payload
     */
    public static Payload decrypt(Payload encrypted, SecretKey key) {
        ByteString cipherName = encrypted.getMetadataOrDefault(CIPHER_METADATA, null);
        if (cipherName != null && !CIPHER_BYTES.equals(cipherName)) {
            throw new PayloadFormatException(PayloadFormatException.Reason.UNSUPPORTED_CIPHER,
                    "'" + CIPHER_METADATA + "' is '" + cipherName.toString(StandardCharsets.UTF_8)
                            + "'; only " + CIPHER + " is supported");
        }
        ByteString data = encrypted.getData();
        if (data.size() < NONCE_BYTES + TAG_BYTES) {
            throw new PayloadFormatException(PayloadFormatException.Reason.CORRUPTED,
                    "encrypted data is " + data.size() + " bytes, shorter than nonce (" + NONCE_BYTES
                            + ") + tag (" + TAG_BYTES + ")");
        }
        byte[] bytes = data.toByteArray();
        byte[] plaintext;
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            plaintext = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new PayloadFormatException(PayloadFormatException.Reason.TAMPERED,
                    "authentication tag mismatch: the ciphertext was altered or corrupted, or was not encrypted"
                            + " with key '" + keyIdOf(encrypted) + "'");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JVM", e);
        }
        try {
            return Payload.parseFrom(plaintext);
        } catch (InvalidProtocolBufferException e) {
            throw new PayloadFormatException(PayloadFormatException.Reason.CORRUPTED,
                    "decrypted bytes are not a temporal.api.common.v1.Payload");
        }
    }
}
