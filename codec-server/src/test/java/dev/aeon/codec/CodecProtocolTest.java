package dev.aeon.codec;

import com.google.protobuf.ByteString;
import dev.aeon.codec.sdk.EncryptedPayloadFormat;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.Payload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.aeon.codec.CodecApi.body;
import static dev.aeon.codec.CodecApi.createKey;
import static dev.aeon.codec.CodecApi.decode;
import static dev.aeon.codec.CodecApi.encode;
import static dev.aeon.codec.CodecApi.freshNamespace;
import static dev.aeon.codec.CodecApi.json;
import static dev.aeon.codec.CodecApi.payloads;
import static dev.aeon.codec.CodecApi.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

@QuarkusTest
class CodecProtocolTest {

    @Test
    void encodeThenDecodeRoundTripsEveryPayloadInOrder() {
        String ns = freshNamespace("orders");
        String keyId = createKey(ns);
        List<Payload> plain = List.of(json("{\"id\":1}"), json("\"two\""), json("3"));

        List<Payload> encrypted = encode(ns, plain);

        assertEquals(3, encrypted.size());
        for (int i = 0; i < 3; i++) {
            Payload p = encrypted.get(i);
            assertEquals("binary/encrypted", p.getMetadataOrThrow("encoding").toStringUtf8());
            assertEquals(keyId, p.getMetadataOrThrow("encryption-key-id").toStringUtf8());
            assertEquals(12 + plain.get(i).getSerializedSize() + 16, p.getData().size());
            assertEquals(-1, p.getData().toStringUtf8().indexOf("\"two\""));
        }
        assertEquals(plain, decode(ns, encrypted));
    }

    @Test
    void theNamespaceMayComeFromThePathAndAnyPrefixWorks() {
        String ns = freshNamespace("paths");
        createKey(ns);
        List<Payload> plain = List.of(json("\"by path\""));

        String encrypted = post("/" + ns + "/encode", null, body(plain)).statusCode(200).extract().asString();
        String decrypted = post("/" + ns + "/decode", null, encrypted).statusCode(200).extract().asString();
        assertEquals(plain, payloads(decrypted));

        String underPrefix = post("/api/v1/codec/decode", ns, encrypted).statusCode(200).extract().asString();
        assertEquals(plain, payloads(underPrefix));
    }

    @Test
    void onlyAWholeLastSegmentMatches() {
        post("/xdecode", "ns", "{}").statusCode(404);
        post("/decode/more", "ns", "{}").statusCode(404);
        io.restassured.RestAssured.given().header("X-Namespace", "ns").get("/decode").then().statusCode(405);
    }

    @Test
    void theHeaderNamesTheNamespaceEvenUnderAPathThatLooksLikeOne() {
        String ns = freshNamespace("header");
        createKey(ns);
        List<Payload> encrypted = encode(ns, List.of(json("1")));
        assertEquals(List.of(json("1")),
                payloads(post("/not-the-namespace/decode", ns, body(encrypted)).statusCode(200).extract().asString()));
    }

    @Test
    void unencryptedPayloadsPassThroughUnchanged() {
        String ns = freshNamespace("mixed");
        createKey(ns);
        Payload plain = json("\"never encrypted\"");
        Payload binary = Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("binary/plain"))
                .setData(ByteString.copyFrom(new byte[] {0, 1, 2})).build();
        Payload encrypted = encode(ns, List.of(json("\"secret\""))).get(0);

        assertEquals(List.of(plain, json("\"secret\""), binary), decode(ns, List.of(plain, encrypted, binary)));
    }

    @Test
    void emptyPayloadsAnswerAnEmptyList() {
        String ns = freshNamespace("empty");
        post("/decode", ns, "{}").statusCode(200).body(equalTo("{\"payloads\":[]}"));
        post("/encode", ns, "{\"payloads\":[]}").statusCode(200).body(equalTo("{\"payloads\":[]}"));
    }

    @Test
    void invalidJsonIsA400NamingTheCause() {
        String ns = freshNamespace("json");
        post("/decode", ns, "{not json").statusCode(400)
                .body("cause", equalTo("invalid-json"))
                .body("error", containsString("temporal.api.common.v1.Payloads"));
        post("/decode", ns, "").statusCode(400).body("cause", equalTo("invalid-json"))
                .body("error", containsString("empty"));
        post("/decode", ns, "[1,2]").statusCode(400).body("cause", equalTo("invalid-json"));
        post("/decode", ns, "{\"payloads\":[{\"data\":\"***\"}]}").statusCode(400)
                .body("cause", equalTo("invalid-json"));
        post("/encode", ns, "{\"payload\":[]}").statusCode(400).body("cause", equalTo("invalid-json"));
    }

    @Test
    void aMissingOrMalformedNamespaceIsA400() {
        post("/decode", null, "{}").statusCode(400)
                .body("cause", equalTo("missing-namespace"))
                .body("error", containsString("X-Namespace"));
        post("/decode", "no spaces allowed", "{}").statusCode(400)
                .body("cause", equalTo("invalid-namespace"))
                .body("error", containsString("header X-Namespace"));
    }

    @Test
    void encodingWithoutAKeySaysHowToCreateOne() {
        String ns = freshNamespace("nokey");
        post("/encode", ns, body(List.of(json("1")))).statusCode(400)
                .body("cause", equalTo("no-active-key"))
                .body("error", containsString("POST /codec/keys/" + ns));
    }

    @Test
    void anUnknownKeyIdIsA400NamingKeyAndPayload() {
        String ns = freshNamespace("unknown");
        createKey(ns);
        Payload foreign = EncryptedPayloadFormat.encrypt(json("1"), "not-a-key-of-" + ns,
                EncryptedPayloadFormat.aesKey(new byte[32]));
        post("/decode", ns, body(List.of(json("0"), foreign))).statusCode(400)
                .body("cause", equalTo("unknown-key"))
                .body("payloadIndex", equalTo(1))
                .body("error", containsString("'not-a-key-of-" + ns + "'"));
    }

    @Test
    void anotherNamespaceCannotDecrypt() {
        String owner = freshNamespace("owner");
        String other = freshNamespace("other");
        createKey(owner);
        createKey(other);
        List<Payload> encrypted = encode(owner, List.of(json("\"owner's secret\"")));
        post("/decode", other, body(encrypted)).statusCode(400).body("cause", equalTo("unknown-key"));
    }

    @Test
    void tamperedOrTruncatedCiphertextIsA400() {
        String ns = freshNamespace("tamper");
        createKey(ns);
        List<Payload> encrypted = encode(ns, List.of(json("1"), json("\"do not touch\"")));

        byte[] data = encrypted.get(1).getData().toByteArray();
        data[data.length / 2] ^= 0x40;
        List<Payload> tampered = new ArrayList<>(encrypted);
        tampered.set(1, encrypted.get(1).toBuilder().setData(ByteString.copyFrom(data)).build());
        post("/decode", ns, body(tampered)).statusCode(400)
                .body("cause", equalTo("tampered-ciphertext"))
                .body("payloadIndex", equalTo(1))
                .body("error", containsString("payload 1"));

        List<Payload> truncated = List.of(encrypted.get(0).toBuilder()
                .setData(encrypted.get(0).getData().substring(0, 20)).build());
        post("/decode", ns, body(truncated)).statusCode(400)
                .body("cause", equalTo("corrupted-ciphertext"))
                .body("payloadIndex", equalTo(0));

        List<Payload> noKeyId = List.of(encrypted.get(0).toBuilder().removeMetadata("encryption-key-id").build());
        post("/decode", ns, body(noKeyId)).statusCode(400).body("cause", equalTo("missing-key-id"));
    }

    @Test
    void eachEncryptionUsesAFreshNonce() {
        String ns = freshNamespace("nonce");
        createKey(ns);
        List<Payload> twice = encode(ns, List.of(json("1"), json("1")));
        assertNotEquals(twice.get(0).getData(), twice.get(1).getData());
    }

    @Test
    void errorsAreJsonWithoutStackTraces() {
        post("/decode", null, "{}").statusCode(400)
                .body("payloadIndex", nullValue())
                .body(org.hamcrest.Matchers.not(containsString("at dev.aeon")));
    }
}
