package dev.aeon.dataplane.nexus;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Nexus HTTP content (a body and its {@code Content-*} headers) to and from Temporal's {@code Payload}, as Temporal's
 * frontend converts them (common/nexus/payload_serializer.go): JSON is {@code json/plain}, bytes
 * {@code binary/plain}, no content {@code binary/null}, protobuf in either form keeps its message type, and
 * anything else travels whole: a payload Temporal cannot show as plain content (an encrypted one, say) as
 * {@code application/x-temporal-payload}, a content type Temporal does not know as {@code unknown/nexus-content}.
 *
 * @param headers the content headers without their {@code Content-} prefix, lower-cased ({@code type},
 *                {@code length}, ...)
 */
public record NexusContent(Map<String, String> headers, byte[] data) {

    static final String TEMPORAL_PAYLOAD = "application/x-temporal-payload";
    private static final String ENCODING = "encoding";
    private static final Pattern PARAM = Pattern.compile(";\\s*([a-zA-Z-]+)=\"?([^\";]*)\"?");

    public Payload toPayload() throws InvalidProtocolBufferException {
        Map<String, String> header = new TreeMap<>(headers);
        header.remove(ENCODING);
        header.remove("length");
        Payload.Builder payload = Payload.newBuilder().setData(ByteString.copyFrom(data));
        String type = header.get("type");
        if (header.size() > 1 || (type == null && (!header.isEmpty() || data.length > 0))) {
            return unknown(payload, header);
        }
        if (type == null) {
            return payload.putMetadata(ENCODING, bytes("binary/null")).build();
        }
        String mediaType = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        Map<String, String> params = params(type);
        switch (mediaType) {
            case TEMPORAL_PAYLOAD:
                return Payload.parseFrom(data);
            case "application/json":
                if (params.isEmpty()) {
                    return payload.putMetadata(ENCODING, bytes("json/plain")).build();
                }
                if (params.size() == 2 && "protobuf".equals(params.get("format")) && params.containsKey("message-type")) {
                    return payload.putMetadata(ENCODING, bytes("json/protobuf"))
                            .putMetadata("messageType", bytes(params.get("message-type"))).build();
                }
                return unknown(payload, header);
            case "application/x-protobuf":
                if (params.size() == 1 && params.containsKey("message-type")) {
                    return payload.putMetadata(ENCODING, bytes("binary/protobuf"))
                            .putMetadata("messageType", bytes(params.get("message-type"))).build();
                }
                return unknown(payload, header);
            case "application/octet-stream":
                return params.isEmpty() ? payload.putMetadata(ENCODING, bytes("binary/plain")).build()
                        : unknown(payload, header);
            default:
                return unknown(payload, header);
        }
    }

    /** The content a payload is shown as in an HTTP answer. */
    public static NexusContent of(Payload payload) {
        Map<String, String> header = new TreeMap<>();
        if (payload.getMetadataCount() == 0) {
            return whole(payload);
        }
        String encoding = payload.getMetadataOrDefault(ENCODING, ByteString.EMPTY).toStringUtf8();
        String messageType = payload.getMetadataOrDefault("messageType", ByteString.EMPTY).toStringUtf8();
        int fields = payload.getMetadataCount();
        switch (encoding) {
            case "unknown/nexus-content" -> payload.getMetadataMap().forEach((key, value) -> {
                if (!key.equals(ENCODING)) {
                    header.put(key, value.toStringUtf8());
                }
            });
            case "json/protobuf" -> {
                if (fields != 2 || messageType.isEmpty()) {
                    return whole(payload);
                }
                header.put("type", "application/json; format=protobuf; message-type=\"" + messageType + "\"");
            }
            case "binary/protobuf" -> {
                if (fields != 2 || messageType.isEmpty()) {
                    return whole(payload);
                }
                header.put("type", "application/x-protobuf; message-type=\"" + messageType + "\"");
            }
            case "json/plain" -> header.put("type", "application/json");
            case "binary/null" -> {
                if (fields != 1) {
                    return whole(payload);
                }
            }
            case "binary/plain" -> {
                if (fields != 1) {
                    return whole(payload);
                }
                header.put("type", "application/octet-stream");
            }
            default -> {
                return whole(payload);
            }
        }
        return new NexusContent(header, payload.getData().toByteArray());
    }

    private static NexusContent whole(Payload payload) {
        return new NexusContent(Map.of("type", TEMPORAL_PAYLOAD), payload.toByteArray());
    }

    private static Payload unknown(Payload.Builder payload, Map<String, String> header) {
        header.forEach((key, value) -> payload.putMetadata(key, bytes(value)));
        return payload.putMetadata(ENCODING, bytes("unknown/nexus-content")).build();
    }

    private static Map<String, String> params(String contentType) {
        Map<String, String> params = new TreeMap<>();
        Matcher matcher = PARAM.matcher(contentType);
        while (matcher.find()) {
            params.put(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(2));
        }
        return params;
    }

    private static ByteString bytes(String value) {
        return ByteString.copyFrom(value, StandardCharsets.UTF_8);
    }
}
