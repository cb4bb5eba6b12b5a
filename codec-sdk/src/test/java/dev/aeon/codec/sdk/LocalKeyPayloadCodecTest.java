package dev.aeon.codec.sdk;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodecException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.aeon.codec.sdk.EncryptedPayloadFormatTest.json;
import static dev.aeon.codec.sdk.EncryptedPayloadFormatTest.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalKeyPayloadCodecTest {

    @Test
    void rotationEncryptsWithTheCurrentKeyAndStillDecryptsOldPayloads() {
        byte[] k1 = randomKey();
        byte[] k2 = randomKey();
        LocalKeyPayloadCodec before = new LocalKeyPayloadCodec(LocalKeyRing.current("k1", k1).build());
        LocalKeyPayloadCodec after = new LocalKeyPayloadCodec(LocalKeyRing.current("k2", k2).add("k1", k1).build());

        Payload old = before.encode(List.of(json("1"))).get(0);
        Payload fresh = after.encode(List.of(json("2"))).get(0);

        assertEquals("k2", EncryptedPayloadFormat.keyIdOf(fresh));
        assertEquals(List.of(json("1"), json("2")), after.decode(List.of(old, fresh)));
        PayloadCodecException e = assertThrows(PayloadCodecException.class, () -> before.decode(List.of(fresh)));
        assertTrue(e.getMessage().contains("'k2'"), e.getMessage());
    }

    @Test
    void plainPayloadsPassThroughDecode() {
        LocalKeyPayloadCodec codec = new LocalKeyPayloadCodec(LocalKeyRing.current("k1", randomKey()).build());
        Payload plain = json("3");
        assertSame(plain, codec.decode(List.of(plain)).get(0));
    }

    @Test
    void worksAsTheSdksDataConverterCodec() {
        DataConverter converter = new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
                List.of(new LocalKeyPayloadCodec(LocalKeyRing.current("k1", randomKey()).build())));
        Optional<io.temporal.api.common.v1.Payloads> payloads = converter.toPayloads("order-42", 7);
        assertTrue(EncryptedPayloadFormat.isEncrypted(payloads.orElseThrow().getPayloads(0)));
        assertEquals("order-42", converter.fromPayloads(0, payloads, String.class, String.class));
        assertEquals(7, converter.fromPayloads(1, payloads, Integer.class, Integer.class));
    }
}
