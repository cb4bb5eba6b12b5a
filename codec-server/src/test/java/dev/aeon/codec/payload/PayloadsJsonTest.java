package dev.aeon.codec.payload;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import dev.aeon.codec.CodecException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streaming path must accept and produce exactly what JsonFormat does. */
class PayloadsJsonTest {

    private static List<Payload> randomPayloads(long seed) {
        Random random = new Random(seed);
        List<Payload> payloads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Payload.Builder p = Payload.newBuilder();
            for (int m = random.nextInt(4); m > 0; m--) {
                byte[] value = new byte[random.nextInt(40)];
                random.nextBytes(value);
                p.putMetadata("key-" + m + (random.nextBoolean() ? "é\"\\" : ""), ByteString.copyFrom(value));
            }
            byte[] data = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(3000)];
            random.nextBytes(data);
            payloads.add(p.setData(ByteString.copyFrom(data)).build());
        }
        return payloads;
    }

    private static String jsonFormat(List<Payload> payloads) throws Exception {
        return JsonFormat.printer().print(Payloads.newBuilder().addAllPayloads(payloads).build());
    }

    private static List<Payload> viaJsonFormat(byte[] json) throws Exception {
        Payloads.Builder out = Payloads.newBuilder();
        JsonFormat.parser().merge(new String(json, StandardCharsets.UTF_8), out);
        return out.getPayloadsList();
    }

    private static List<Payload> parse(String json) {
        return PayloadsJson.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bothDirectionsAgreeWithJsonFormat() throws Exception {
        for (long seed = 0; seed < 20; seed++) {
            List<Payload> payloads = randomPayloads(seed);
            assertEquals(payloads, parse(jsonFormat(payloads)));
            assertEquals(payloads, viaJsonFormat(PayloadsJson.print(payloads)));
        }
    }

    @Test
    void otherShapesAreLeftToJsonFormat() throws Exception {
        byte[] bytes = {(byte) 0xfb, (byte) 0xff, 0x01};
        String urlSafe = Base64.getUrlEncoder().encodeToString(bytes);
        assertEquals(ByteString.copyFrom(bytes), parse("{\"payloads\":[{\"data\":\"" + urlSafe + "\"}]}").get(0).getData());
        assertEquals(List.of(), parse("{\"payloads\":null}"));
        assertEquals(List.of(), parse("{}"));
        assertEquals(List.of(Payload.getDefaultInstance()), parse(" {\"payloads\" : [ { } ] } "));

        Payload external = Payload.newBuilder().setData(ByteString.copyFromUtf8("x"))
                .addExternalPayloads(Payload.ExternalPayloadDetails.newBuilder().setSizeBytes(7)).build();
        byte[] printed = PayloadsJson.print(List.of(external));
        assertEquals(List.of(external), viaJsonFormat(printed));
        assertEquals(List.of(external), PayloadsJson.parse(printed));
    }

    @Test
    void malformedInputGetsJsonFormatsMessage() {
        for (String bad : List.of("{\"payloads\":[{\"data\":\"a\",\"data\":\"b\"}]}",
                "{\"payloads\":[{\"dat\":\"AA==\"}]}", "{\"payloads\":[1]}", "[]", "{", "   ")) {
            CodecException e = assertThrows(CodecException.class, () -> parse(bad), bad);
            assertEquals(CodecException.Cause.INVALID_JSON, e.errorCause(), bad);
            assertTrue(e.getMessage().startsWith("request body is"), e.getMessage());
        }
    }

    @Test
    void emptyListsPrintAsAnEmptyArray() {
        assertEquals("{\"payloads\":[]}", new String(PayloadsJson.print(List.of()), StandardCharsets.UTF_8));
    }
}
