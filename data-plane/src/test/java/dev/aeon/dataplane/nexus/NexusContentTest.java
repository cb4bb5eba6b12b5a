package dev.aeon.dataplane.nexus;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Nexus content to and from Payloads as Temporal's frontend converts them (common/nexus/payload_serializer.go). */
class NexusContentTest {

    private static Payload payload(Map<String, String> headers, String body) throws Exception {
        return new NexusContent(headers, body.getBytes(StandardCharsets.UTF_8)).toPayload();
    }

    private static String encoding(Payload payload) {
        return payload.getMetadataOrThrow("encoding").toStringUtf8();
    }

    @Test
    void knownContentTypesBecomeTheirEncodings() throws Exception {
        assertEquals("json/plain", encoding(payload(Map.of("type", "application/json"), "\"x\"")));
        assertEquals("binary/plain", encoding(payload(Map.of("type", "application/octet-stream"), "x")));
        assertEquals("binary/null", encoding(payload(Map.of(), "")));
        Payload proto = payload(Map.of("type", "application/x-protobuf; message-type=\"foo.Bar\""), "x");
        assertEquals("binary/protobuf", encoding(proto));
        assertEquals("foo.Bar", proto.getMetadataOrThrow("messageType").toStringUtf8());
        Payload jsonProto = payload(Map.of("type", "application/json; format=protobuf; message-type=foo.Bar"), "{}");
        assertEquals("json/protobuf", encoding(jsonProto));
        // length is the transport's, not the content's
        assertEquals("json/plain", encoding(payload(Map.of("type", "application/json", "length", "3"), "\"x\"")));
    }

    @Test
    void unknownContentTravelsWithItsHeaders() throws Exception {
        Payload text = payload(Map.of("type", "text/plain"), "hi");
        assertEquals("unknown/nexus-content", encoding(text));
        assertEquals("text/plain", text.getMetadataOrThrow("type").toStringUtf8());
        assertEquals("unknown/nexus-content", encoding(payload(Map.of(), "no type")));
        NexusContent back = NexusContent.of(text);
        assertEquals(Map.of("type", "text/plain"), back.headers());
        assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), back.data());
    }

    @Test
    void payloadsTemporalCannotShowPlainlyTravelWhole() throws Exception {
        Payload encrypted = Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("binary/encrypted"))
                .putMetadata("encryption-key-id", ByteString.copyFromUtf8("k1"))
                .setData(ByteString.copyFromUtf8("secret")).build();
        NexusContent content = NexusContent.of(encrypted);
        assertEquals(Map.of("type", "application/x-temporal-payload"), content.headers());
        assertEquals(encrypted, new NexusContent(content.headers(), content.data()).toPayload());
        // json/plain is shown as JSON whatever else its metadata holds, as Temporal shows it
        Payload annotated = encrypted.toBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain")).build();
        assertEquals(Map.of("type", "application/json"), NexusContent.of(Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("json/plain")).build()).headers());
        assertEquals("application/json", NexusContent.of(annotated).headers().get("type"));
    }

    @Test
    void requestTimeoutsAreReadInNexusUnits() {
        assertEquals(1500, NexusRequests.requestTimeout(Map.of("request-timeout", "1.5s")).toMillis());
        assertEquals(250, NexusRequests.requestTimeout(Map.of("request-timeout", "250ms")).toMillis());
        assertEquals(120_000, NexusRequests.requestTimeout(Map.of("request-timeout", "2m")).toMillis());
        assertEquals(NexusTasks.MAX_WAIT, NexusRequests.requestTimeout(Map.of()));
    }
}
