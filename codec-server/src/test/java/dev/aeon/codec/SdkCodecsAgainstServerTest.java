package dev.aeon.codec;

import dev.aeon.codec.sdk.CodecServerPayloadCodec;
import dev.aeon.codec.sdk.EncryptedPayloadFormat;
import dev.aeon.codec.sdk.LocalKeyPayloadCodec;
import dev.aeon.codec.sdk.LocalKeyRing;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodecException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static dev.aeon.codec.CodecApi.createKey;
import static dev.aeon.codec.CodecApi.decode;
import static dev.aeon.codec.CodecApi.encode;
import static dev.aeon.codec.CodecApi.freshNamespace;
import static dev.aeon.codec.CodecApi.json;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The codec SDK's two PayloadCodecs, as a Temporal Java SDK DataConverter uses them, against this server. */
@QuarkusTest
class SdkCodecsAgainstServerTest {

    @TestHTTPResource("/")
    URI server;

    @Test
    void theRemoteCodecEncryptsAndDecryptsThroughTheServer() {
        String ns = freshNamespace("sdk-remote");
        String keyId = createKey(ns);
        DataConverter converter = new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
                List.of(CodecServerPayloadCodec.newBuilder(server, ns).build()));

        Optional<Payloads> payloads = converter.toPayloads("order 42", 17);

        Payload first = payloads.orElseThrow().getPayloads(0);
        assertTrue(EncryptedPayloadFormat.isEncrypted(first));
        assertEquals(keyId, EncryptedPayloadFormat.keyIdOf(first));
        assertEquals("order 42", converter.fromPayloads(0, payloads, String.class, String.class));
        assertEquals(17, converter.fromPayloads(1, payloads, Integer.class, Integer.class));
    }

    @Test
    void theRemoteCodecReportsTheServersError() {
        String ns = freshNamespace("sdk-nokey");
        CodecServerPayloadCodec codec = CodecServerPayloadCodec.newBuilder(server, ns).build();
        PayloadCodecException e = assertThrows(PayloadCodecException.class, () -> codec.encode(List.of(json("1"))));
        assertTrue(e.getMessage().contains("no-active-key"), e.getMessage());
    }

    @Test
    void theLocalCodecAndTheServerShareImportedKeys() {
        String ns = freshNamespace("sdk-local");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String base64 = Base64.getEncoder().encodeToString(key);
        given().contentType("application/json").body("{\"keyId\":\"worker-key\",\"key\":\"" + base64 + "\"}")
                .post("/codec/keys/" + ns).then().statusCode(201);
        LocalKeyPayloadCodec local = new LocalKeyPayloadCodec(LocalKeyRing.current("worker-key", base64).build());

        List<Payload> byWorker = local.encode(List.of(json("\"from the worker\"")));
        assertEquals(List.of(json("\"from the worker\"")), decode(ns, byWorker));

        List<Payload> byServer = encode(ns, List.of(json("\"from the UI\"")));
        assertEquals(List.of(json("\"from the UI\"")), local.decode(byServer));
    }
}
