package dev.aeon.codec;

import com.google.protobuf.ByteString;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.Payload;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.aeon.codec.CodecApi.decode;
import static dev.aeon.codec.CodecApi.encode;
import static dev.aeon.codec.CodecApi.freshNamespace;
import static dev.aeon.codec.CodecApi.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The codec server against a codec written here independently, the way Temporal's encryption samples write theirs:
 * AES-256-GCM, 12-byte random nonce before ciphertext and tag, the serialized Payload as plaintext, metadata
 * {@code encoding: binary/encrypted} and {@code encryption-key-id}. Its key is imported into the server.
 */
@QuarkusTest
class SamplesInteropTest {

    /** The samples' hard-coded example key. */
    private static final byte[] SAMPLE_KEY = "test-key-test-key-test-key-test!".getBytes(StandardCharsets.UTF_8);

    /** Encrypts like samples-go encryption/codec.go: gcm.Seal(nonce, nonce, payload.Marshal(), nil). */
    static Payload sampleEncrypt(Payload plain, String keyId, byte[] key, boolean withCipherMetadata) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        byte[] sealed = gcm.doFinal(plain.toByteArray());
        Payload.Builder out = Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("binary/encrypted"))
                .putMetadata("encryption-key-id", ByteString.copyFromUtf8(keyId))
                .setData(ByteString.copyFrom(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array()));
        if (withCipherMetadata) {
            out.putMetadata("encryption-cipher", ByteString.copyFromUtf8("AES/GCM/NoPadding"));
        }
        return out.build();
    }

    /** Decrypts like the samples' Decode: split the nonce off, open, unmarshal the Payload. */
    static Payload sampleDecrypt(Payload encrypted, Map<String, byte[]> keys) throws Exception {
        assertEquals("binary/encrypted", encrypted.getMetadataOrThrow("encoding").toStringUtf8());
        byte[] key = keys.get(encrypted.getMetadataOrThrow("encryption-key-id").toStringUtf8());
        byte[] data = encrypted.getData().toByteArray();
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, data, 0, 12));
        return Payload.parseFrom(gcm.doFinal(data, 12, data.length - 12));
    }

    private static void importKey(String namespace, String keyId, byte[] key) {
        given().contentType("application/json")
                .body("{\"keyId\":\"" + keyId + "\",\"key\":\"" + Base64.getEncoder().encodeToString(key) + "\"}")
                .post("/codec/keys/" + namespace)
                .then().statusCode(201)
                .body("keyId", equalTo(keyId))
                .body("current", equalTo(true));
    }

    @Test
    void theServerDecryptsWhatTheSamplesCodecEncrypted() throws Exception {
        String ns = freshNamespace("samples");
        importKey(ns, "test", SAMPLE_KEY);
        Payload a = json("{\"greeting\":\"hello\"}");
        Payload b = json("\"from the Java sample\"");

        List<Payload> decoded = decode(ns, List.of(
                sampleEncrypt(a, "test", SAMPLE_KEY, false),
                sampleEncrypt(b, "test", SAMPLE_KEY, true)));

        assertEquals(List.of(a, b), decoded);
    }

    @Test
    void theSamplesCodecDecryptsWhatTheServerEncrypted() throws Exception {
        String ns = freshNamespace("samples");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        importKey(ns, "tenant-key-2025", key);
        Payload plain = json("{\"total\":99.5}");

        Payload encrypted = encode(ns, List.of(plain)).get(0);

        assertEquals(plain, sampleDecrypt(encrypted, Map.of("tenant-key-2025", key)));
    }
}
