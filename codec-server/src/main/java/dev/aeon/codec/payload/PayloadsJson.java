package dev.aeon.codec.payload;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.aeon.codec.CodecException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code temporal.api.common.v1.Payloads} in proto3 JSON, the codec-server protocol's body in both directions.
 *
 * <p>{@link JsonFormat} defines the format, but it parses through a Gson tree and was two thirds of the CPU a
 * 1,000-payload decode took. The common shape — payloads of {@code metadata} and {@code data} only, padded
 * standard base64 — is therefore read and written by a streaming Jackson parser and generator; anything else
 * (other fields, URL-safe or unpadded base64, nulls, duplicates, malformed JSON) goes to {@link JsonFormat}, so
 * accepted input, output and error messages stay JsonFormat's.
 */
public final class PayloadsJson {

    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final byte[] EMPTY = "{\"payloads\":[]}".getBytes(StandardCharsets.UTF_8);

    private PayloadsJson() {
    }

    /** Signals input outside the streaming path's shape; {@link JsonFormat} then decides. */
    private static final class NotCommonShape extends Exception {
        NotCommonShape() {
            super(null, null, false, false);
        }
    }

    /** @throws CodecException {@code invalid-json} naming what the parser rejected */
    public static List<Payload> parse(byte[] body) {
        if (body == null || isBlank(body)) {
            throw new CodecException(CodecException.Cause.INVALID_JSON,
                    "request body is empty; expected {\"payloads\":[...]} (temporal.api.common.v1.Payloads)");
        }
        try {
            return parseCommonShape(body);
        } catch (NotCommonShape | IOException | RuntimeException e) {
            return parseWithJsonFormat(new String(body, StandardCharsets.UTF_8));
        }
    }

    /** Always has a {@code payloads} array, even when empty (proto3 JSON would omit it). */
    public static byte[] print(List<Payload> payloads) {
        if (payloads.isEmpty()) {
            return EMPTY.clone();
        }
        for (Payload payload : payloads) {
            if (payload.getExternalPayloadsCount() > 0) {
                return printWithJsonFormat(payloads);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(estimate(payloads));
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("payloads");
            for (Payload payload : payloads) {
                json.writeStartObject();
                if (payload.getMetadataCount() > 0) {
                    json.writeObjectFieldStart("metadata");
                    for (Map.Entry<String, ByteString> entry : payload.getMetadataMap().entrySet()) {
                        json.writeFieldName(entry.getKey());
                        writeBase64(json, entry.getValue());
                    }
                    json.writeEndObject();
                }
                if (!payload.getData().isEmpty()) {
                    json.writeFieldName("data");
                    writeBase64(json, payload.getData());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Standard alphabet with padding, as JsonFormat writes bytes. */
    private static void writeBase64(JsonGenerator json, ByteString bytes) throws IOException {
        byte[] array = bytes.toByteArray();
        json.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, array, 0, array.length);
    }

    private static List<Payload> parseCommonShape(byte[] body) throws IOException, NotCommonShape {
        List<Payload> payloads = new ArrayList<>();
        try (JsonParser json = JSON.createParser(body)) {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            boolean seen = false;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                if (seen || !"payloads".equals(json.currentName())) {
                    throw new NotCommonShape();
                }
                seen = true;
                expect(json.nextToken(), JsonToken.START_ARRAY);
                while (json.nextToken() != JsonToken.END_ARRAY) {
                    payloads.add(payload(json));
                }
            }
            expect(json.currentToken(), JsonToken.END_OBJECT);
            if (json.nextToken() != null) {
                throw new NotCommonShape();
            }
        }
        return payloads;
    }

    private static Payload payload(JsonParser json) throws IOException, NotCommonShape {
        expect(json.currentToken(), JsonToken.START_OBJECT);
        Payload.Builder payload = Payload.newBuilder();
        boolean metadata = false;
        boolean data = false;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            if ("metadata".equals(field) && !metadata) {
                metadata = true;
                expect(json.nextToken(), JsonToken.START_OBJECT);
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String key = json.currentName();
                    if (payload.containsMetadata(key)) {
                        throw new NotCommonShape();
                    }
                    expect(json.nextToken(), JsonToken.VALUE_STRING);
                    payload.putMetadata(key, ByteString.copyFrom(json.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS)));
                }
            } else if ("data".equals(field) && !data) {
                data = true;
                expect(json.nextToken(), JsonToken.VALUE_STRING);
                payload.setData(ByteString.copyFrom(json.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS)));
            } else {
                throw new NotCommonShape();
            }
        }
        expect(json.currentToken(), JsonToken.END_OBJECT);
        return payload.build();
    }

    private static void expect(JsonToken actual, JsonToken expected) throws NotCommonShape {
        if (actual != expected) {
            throw new NotCommonShape();
        }
    }

    private static List<Payload> parseWithJsonFormat(String body) {
        Payloads.Builder payloads = Payloads.newBuilder();
        try {
            PARSER.merge(body, payloads);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new CodecException(CodecException.Cause.INVALID_JSON, "request body is not"
                    + " temporal.api.common.v1.Payloads in proto3 JSON: " + abbreviate(e.getMessage()));
        }
        return payloads.getPayloadsList();
    }

    private static byte[] printWithJsonFormat(List<Payload> payloads) {
        try {
            return PRINTER.print(Payloads.newBuilder().addAllPayloads(payloads).build())
                    .getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Payloads always print as JSON", e);
        }
    }

    private static int estimate(List<Payload> payloads) {
        long bytes = 32;
        for (Payload payload : payloads) {
            bytes += 32 + payload.getSerializedSize() * 4L / 3;
        }
        return (int) Math.min(bytes, Integer.MAX_VALUE - 16);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String message) {
        if (message == null) {
            return "unreadable JSON";
        }
        return message.length() <= 300 ? message : message.substring(0, 300) + "...";
    }
}
