package dev.aeon.dataplane.history.rules;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Copies the fields a message carries into the builder's fields of the same name, and nothing else.
 *
 * <p>Why this exists: in Java, {@code setHeader(command.getHeader())} turns an absent message field into a
 * present, empty one. SDKs read presence: a {@code MarkerRecorded} event with an empty {@code failure} present is a
 * failed local activity to them, so such a history no longer replays (and a worker restart loses the workflow).
 * Temporal's server (Go) copies pointers, so absent stays absent. Copying every command or request field into its
 * event through this class keeps that property for every field, including fields added to the protos later.
 * Fields the event derives differently (a resolved namespace, normalized timeouts) are set after the copy.
 */
public final class PresentFields {

    private PresentFields() {
    }

    /** The value when the message has it, else null (how our own records say "absent"). */
    public static <T> T orNull(boolean present, T value) {
        return present ? value : null;
    }

    /** Sets on {@code to} each field present on {@code from} that {@code to} has under the same name and type. */
    public static <B extends Message.Builder> B copy(MessageOrBuilder from, B to) {
        for (Map.Entry<FieldDescriptor, Object> field : from.getAllFields().entrySet()) {
            FieldDescriptor source = field.getKey();
            FieldDescriptor target = to.getDescriptorForType().findFieldByName(source.getName());
            if (target == null || !sameShape(source, target)) {
                continue;
            }
            if (source.isMapField()) {
                to.setField(target, mapEntries(field.getValue(), to, target));
            } else {
                to.setField(target, field.getValue());
            }
        }
        return to;
    }

    /** Map entries are messages of a type private to each message, so they are rebuilt for the target. */
    private static List<Message> mapEntries(Object sourceEntries, Message.Builder to, FieldDescriptor target) {
        FieldDescriptor key = target.getMessageType().findFieldByName("key");
        FieldDescriptor value = target.getMessageType().findFieldByName("value");
        List<Message> entries = new ArrayList<>();
        for (Object entry : (List<?>) sourceEntries) {
            Message source = (Message) entry;
            Message.Builder copy = to.newBuilderForField(target);
            copy.setField(key, source.getField(source.getDescriptorForType().findFieldByName("key")));
            copy.setField(value, source.getField(source.getDescriptorForType().findFieldByName("value")));
            entries.add(copy.build());
        }
        return entries;
    }

    private static boolean sameShape(FieldDescriptor a, FieldDescriptor b) {
        if (a.getJavaType() != b.getJavaType() || a.isRepeated() != b.isRepeated() || a.isMapField() != b.isMapField()) {
            return false;
        }
        if (a.isMapField()) {
            return sameShape(a.getMessageType().findFieldByName("key"), b.getMessageType().findFieldByName("key"))
                    && sameShape(a.getMessageType().findFieldByName("value"), b.getMessageType().findFieldByName("value"));
        }
        return switch (a.getJavaType()) {
            case MESSAGE -> a.getMessageType().getFullName().equals(b.getMessageType().getFullName());
            case ENUM -> a.getEnumType().getFullName().equals(b.getEnumType().getFullName());
            default -> true;
        };
    }
}
