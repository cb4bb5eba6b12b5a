package dev.aeon.codec.sdk;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncryptedPayloadFormatTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    static Payload json(String value) {
        return Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .setData(ByteString.copyFromUtf8(value))
                .build();
    }

    static byte[] randomKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    @Test
    void roundTripsTheWholePayloadAndRecordsKeyIdAndCipher() {
        SecretKey key = EncryptedPayloadFormat.aesKey(randomKey());
        Payload plain = json("{\"order\":42}").toBuilder()
                .putMetadata("messageType", ByteString.copyFromUtf8("x")).build();

        Payload encrypted = EncryptedPayloadFormat.encrypt(plain, "k1", key);

        assertTrue(EncryptedPayloadFormat.isEncrypted(encrypted));
        assertEquals("binary/encrypted", encrypted.getMetadataOrThrow("encoding").toStringUtf8());
        assertEquals("k1", encrypted.getMetadataOrThrow("encryption-key-id").toStringUtf8());
        assertEquals("AES/GCM/NoPadding", encrypted.getMetadataOrThrow("encryption-cipher").toStringUtf8());
        assertEquals(12 + plain.getSerializedSize() + 16, encrypted.getData().size());
        assertEquals(plain, EncryptedPayloadFormat.decrypt(encrypted, key));
    }

    @Test
    void everyEncryptionUsesAFreshNonce() {
        SecretKey key = EncryptedPayloadFormat.aesKey(randomKey());
        Payload a = EncryptedPayloadFormat.encrypt(json("1"), "k", key);
        Payload b = EncryptedPayloadFormat.encrypt(json("1"), "k", key);
        assertFalse(a.getData().substring(0, 12).equals(b.getData().substring(0, 12)));
    }

    @Test
    void aChangedNonceCiphertextOrTagIsReportedAsTampered() {
        SecretKey key = EncryptedPayloadFormat.aesKey(randomKey());
        Payload encrypted = EncryptedPayloadFormat.encrypt(json("\"secret\""), "k1", key);
        int size = encrypted.getData().size();
        for (int position : new int[] {0, 11, 12, size / 2, size - 17, size - 16, size - 1}) {
            byte[] data = encrypted.getData().toByteArray();
            data[position] ^= 0x01;
            Payload tampered = encrypted.toBuilder().setData(ByteString.copyFrom(data)).build();
            PayloadFormatException e = assertThrows(PayloadFormatException.class,
                    () -> EncryptedPayloadFormat.decrypt(tampered, key), "byte " + position);
            assertEquals(PayloadFormatException.Reason.TAMPERED, e.reason());
            assertTrue(e.getMessage().contains("'k1'"), e.getMessage());
        }
    }

    @Test
    void anotherKeyIsReportedAsTampered() {
        Payload encrypted = EncryptedPayloadFormat.encrypt(json("1"), "k1",
                EncryptedPayloadFormat.aesKey(randomKey()));
        PayloadFormatException e = assertThrows(PayloadFormatException.class,
                () -> EncryptedPayloadFormat.decrypt(encrypted, EncryptedPayloadFormat.aesKey(randomKey())));
        assertEquals(PayloadFormatException.Reason.TAMPERED, e.reason());
    }

    @Test
    void truncatedDataIsCorrupted() {
        SecretKey key = EncryptedPayloadFormat.aesKey(randomKey());
        Payload encrypted = EncryptedPayloadFormat.encrypt(json("1"), "k1", key);
        Payload truncated = encrypted.toBuilder().setData(encrypted.getData().substring(0, 27)).build();
        PayloadFormatException e = assertThrows(PayloadFormatException.class,
                () -> EncryptedPayloadFormat.decrypt(truncated, key));
        assertEquals(PayloadFormatException.Reason.CORRUPTED, e.reason());
        assertTrue(e.getMessage().contains("27 bytes"), e.getMessage());
    }

    @Test
    void missingKeyIdAndForeignCipherAreNamed() {
        SecretKey key = EncryptedPayloadFormat.aesKey(randomKey());
        Payload encrypted = EncryptedPayloadFormat.encrypt(json("1"), "k1", key);

        PayloadFormatException missing = assertThrows(PayloadFormatException.class,
                () -> EncryptedPayloadFormat.keyIdOf(encrypted.toBuilder().removeMetadata("encryption-key-id").build()));
        assertEquals(PayloadFormatException.Reason.MISSING_KEY_ID, missing.reason());

        Payload cbc = encrypted.toBuilder()
                .putMetadata("encryption-cipher", ByteString.copyFromUtf8("AES/CBC/PKCS5Padding")).build();
        PayloadFormatException unsupported = assertThrows(PayloadFormatException.class,
                () -> EncryptedPayloadFormat.decrypt(cbc, key));
        assertEquals(PayloadFormatException.Reason.UNSUPPORTED_CIPHER, unsupported.reason());
    }

    @Test
    void onlyAes256KeysAreAccepted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EncryptedPayloadFormat.aesKey(new byte[16]));
        assertTrue(e.getMessage().contains("got 16"), e.getMessage());
    }

    /**
     * Encrypted by the Go example ({@code codec-sdk/go-example}, {@code AEON_PRINT_VECTOR=1 go test -run Print -v})
     * with the key 0, 1, ..., 31 under id {@code vector-key}.
     */
    @Test
    void decryptsWhatTheGoExampleEncrypted() throws Exception {
        Payload.Builder fromGo = Payload.newBuilder();
        com.google.protobuf.util.JsonFormat.parser().merge("{\"metadata\":{\"encoding\":\"YmluYXJ5L2VuY3J5cHRlZA==\","
                + "\"encryption-cipher\":\"QUVTL0dDTS9Ob1BhZGRpbmc=\",\"encryption-key-id\":\"dmVjdG9yLWtleQ==\"},"
                + "\"data\":\"x42RuoE2VGbMHzVmuL7KcnwlGAv5XOtcpcE4Ye8Iol/RXgpIj/D6yWMDgaQuMdCwsTt1FU4EEvHnTDhcBQBQMQh+i6ak\"}",
                fromGo);
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) i;
        }
        assertEquals("vector-key", EncryptedPayloadFormat.keyIdOf(fromGo.build()));
        assertEquals(json("\"hello from Go\""),
                EncryptedPayloadFormat.decrypt(fromGo.build(), EncryptedPayloadFormat.aesKey(key)));
    }

    /**
     * A codec written the way Temporal's Go sample writes it (cipher.NewGCM, Seal(nonce, nonce, plain, nil), only
     * {@code encoding} and {@code encryption-key-id} metadata), independently of the format class.
     */
    @Test
    void interoperatesWithASamplesStyleCodecBothWays() throws Exception {
        byte[] raw = "test-key-test-key-test-key-test!".getBytes(StandardCharsets.UTF_8);
        SecretKey key = new SecretKeySpec(raw, "AES");
        Payload plain = json("\"hello\"");

        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        byte[] sealed = gcm.doFinal(plain.toByteArray());
        Payload fromSample = Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("binary/encrypted"))
                .putMetadata("encryption-key-id", ByteString.copyFromUtf8("test"))
                .setData(ByteString.copyFrom(nonce).concat(ByteString.copyFrom(sealed)))
                .build();
        assertEquals(plain, EncryptedPayloadFormat.decrypt(fromSample, EncryptedPayloadFormat.aesKey(raw)));

        Payload ours = EncryptedPayloadFormat.encrypt(plain, "test", EncryptedPayloadFormat.aesKey(raw));
        byte[] data = ours.getData().toByteArray();
        Cipher open = Cipher.getInstance("AES/GCM/NoPadding");
        open.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, data, 0, 12));
        byte[] opened = open.doFinal(data, 12, data.length - 12);
        assertArrayEquals(plain.toByteArray(), opened);
    }
}
