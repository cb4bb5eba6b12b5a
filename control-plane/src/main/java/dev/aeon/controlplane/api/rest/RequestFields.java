package dev.aeon.controlplane.api.rest;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.Timestamps;
import dev.aeon.controlplane.error.CloudApiException;

/** Sets request fields from path variables and query parameters, as grpc-gateway does (dotted paths allowed). */
final class RequestFields {

    private static final java.util.regex.Pattern FIELD_PATH = java.util.regex.Pattern.compile("\\w+(\\.\\w+)*");

    private RequestFields() {
    }

    static void set(Message.Builder request, String path, String value, String source) {
        if (!FIELD_PATH.matcher(path).matches()) {
            // Named by where it came from: an empty or odd name is no field to name.
            throw CloudApiException.invalid(source + " \"" + path + "\"", "is not a field path (field names"
                    + " separated by dots)");
        }
        Message.Builder target = request;
        String[] names = path.split("\\.");
        for (int i = 0; i < names.length - 1; i++) {
            FieldDescriptor field = field(target, names[i], path, source);
            if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE || field.isRepeated()) {
                throw CloudApiException.invalid(path, "is not a field that a " + source + " can set");
            }
            target = target.getFieldBuilder(field);
        }
        FieldDescriptor field = field(target, names[names.length - 1], path, source);
        if (isTimestamp(field)) {
            try {
                target.setField(field, Timestamps.parse(value));
            } catch (java.text.ParseException e) {
                throw CloudApiException.invalid(path, "must be an RFC 3339 time such as 2025-01-31T12:00:00Z; was \""
                        + value + "\"");
            }
            return;
        }
        if (field.isRepeated() || field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            throw CloudApiException.invalid(path, "is not a field that a " + source + " can set");
        }
        target.setField(field, convert(field, value, path));
    }

    /** A {@code google.protobuf.Timestamp}, which the HTTP mapping takes from a URL as RFC 3339 text. */
    static boolean isTimestamp(FieldDescriptor field) {
        return !field.isRepeated() && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                && field.getMessageType().getFullName().equals("google.protobuf.Timestamp");
    }

    private static FieldDescriptor field(Message.Builder builder, String name, String path, String source) {
        FieldDescriptor field = builder.getDescriptorForType().findFieldByName(name);
        if (field == null) {
            field = builder.getDescriptorForType().getFields().stream()
                    .filter(f -> f.getJsonName().equals(name)).findFirst().orElse(null);
        }
        if (field == null) {
            throw CloudApiException.invalid(path, "unknown " + source + " for "
                    + builder.getDescriptorForType().getName());
        }
        return field;
    }

    private static Object convert(FieldDescriptor field, String value, String path) {
        try {
            return switch (field.getJavaType()) {
                case STRING -> value;
                case INT -> Integer.parseInt(value);
                case LONG -> Long.parseLong(value);
                case BOOLEAN -> switch (value) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new NumberFormatException();
                };
                case DOUBLE -> Double.parseDouble(value);
                case FLOAT -> Float.parseFloat(value);
                case ENUM -> enumValue(field, value, path);
                case BYTE_STRING -> bytes(value, path);
                default -> throw CloudApiException.invalid(path, "cannot be set from a URL");
            };
        } catch (NumberFormatException e) {
            throw CloudApiException.invalid(path, "must be a " + field.getJavaType().name().toLowerCase(
                    java.util.Locale.ROOT) + "; was \"" + value + "\"");
        }
    }

    /** Bytes travel in a URL as base64, as grpc-gateway takes them (standard or URL-safe alphabet). */
    private static com.google.protobuf.ByteString bytes(String value, String path) {
        try {
            return com.google.protobuf.ByteString.copyFrom(java.util.Base64.getUrlDecoder()
                    .decode(value.replace('+', '-').replace('/', '_')));
        } catch (IllegalArgumentException e) {
            throw CloudApiException.invalid(path, "must be base64 (as this API returned it); was \"" + value + "\"");
        }
    }

    private static EnumValueDescriptor enumValue(FieldDescriptor field, String value, String path) {
        EnumValueDescriptor byName = field.getEnumType().findValueByName(value);
        if (byName != null) {
            return byName;
        }
        EnumValueDescriptor byNumber = field.getEnumType().findValueByNumber(Integer.parseInt(value));
        if (byNumber == null) {
            throw CloudApiException.invalid(path, "unknown value \"" + value + "\"");
        }
        return byNumber;
    }
}
