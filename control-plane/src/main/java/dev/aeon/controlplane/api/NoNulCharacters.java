package dev.aeon.controlplane.api;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.aeon.controlplane.error.CloudApiException;

import java.util.List;
import java.util.Map;

/**
 * Refuses a request with a NUL character (U+0000) in any string: PostgreSQL text cannot hold one, so such a value
 * would otherwise fail in the store as an internal error (the fuzzer found one in a list filter). Checked once, for
 * every RPC, REST and gRPC alike, naming the field as the proto names it.
 */
final class NoNulCharacters {

    private NoNulCharacters() {
    }

    static void check(Message request) {
        check(request, "");
    }

    private static void check(Message message, String prefix) {
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            String name = prefix + field.getKey().getName();
            if (field.getKey().isRepeated()) {
                List<?> values = (List<?>) field.getValue();
                for (int i = 0; i < values.size(); i++) {
                    value(values.get(i), name + "[" + i + "]");
                }
            } else {
                value(field.getValue(), name);
            }
        }
    }

    private static void value(Object value, String name) {
        if (value instanceof String text && text.indexOf('\u0000') >= 0) {
            throw CloudApiException.invalid(name, "must not contain the NUL character (U+0000)");
        }
        if (value instanceof Message nested) {
            check(nested, name + ".");
        }
    }
}
