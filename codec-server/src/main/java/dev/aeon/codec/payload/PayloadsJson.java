package dev.aeon.codec.payload;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.aeon.codec.CodecException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;

import java.util.List;

/** {@code temporal.api.common.v1.Payloads} in proto3 JSON, the codec-server protocol's body in both directions. */
public final class PayloadsJson {

    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final String EMPTY = "{\"payloads\":[]}";

    private PayloadsJson() {
    }

    /** @throws CodecException {@code invalid-json} naming what the parser rejected */
    public static List<Payload> parse(String body) {
        if (body == null || body.isBlank()) {
            throw new CodecException(CodecException.Cause.INVALID_JSON,
                    "request body is empty; expected {\"payloads\":[...]} (temporal.api.common.v1.Payloads)");
        }
        Payloads.Builder payloads = Payloads.newBuilder();
        try {
            PARSER.merge(body, payloads);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new CodecException(CodecException.Cause.INVALID_JSON, "request body is not"
                    + " temporal.api.common.v1.Payloads in proto3 JSON: " + abbreviate(e.getMessage()));
        }
        return payloads.getPayloadsList();
    }

    /** Always has a {@code payloads} array, even when empty (proto3 JSON would omit it). */
    public static String print(List<Payload> payloads) {
        if (payloads.isEmpty()) {
            return EMPTY;
        }
        try {
            return PRINTER.print(Payloads.newBuilder().addAllPayloads(payloads).build());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Payloads always print as JSON", e);
        }
    }

    private static String abbreviate(String message) {
        if (message == null) {
            return "unreadable JSON";
        }
        return message.length() <= 300 ? message : message.substring(0, 300) + "...";
    }
}
