package dev.aeon.dataplane.sdk;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A history reduced to what must match Temporal's exactly: each event's type and the paths of the fields it
 * carries (present messages, non-default scalars, map keys), without values that differ per run (ids, times).
 * Presence is what SDKs read and what Java's {@code setX(getX())} silently changes.
 */
final class HistoryShape {

    /** Messages whose inside is a value, not structure: their presence is compared, their fields are not. */
    private static final java.util.Set<String> OPAQUE = java.util.Set.of("google.protobuf.Timestamp",
            "google.protobuf.Duration", "temporal.api.common.v1.Payload");

    private HistoryShape() {
    }

    /** One line per event: {@code EVENT_TYPE  path, path, ...}, leaving out paths under the {@code ignored} ones. */
    static String of(WorkflowExecutionHistory history, java.util.Set<String> ignored) {
        StringBuilder shape = new StringBuilder();
        for (HistoryEvent event : history.getEvents()) {
            TreeSet<String> paths = new TreeSet<>();
            collect(event, "", paths);
            paths.removeIf(path -> ignored.stream().anyMatch(path::startsWith));
            shape.append(event.getEventType().name().substring("EVENT_TYPE_".length())).append("  ")
                    .append(String.join(", ", paths)).append('\n');
        }
        return shape.toString();
    }

    private static void collect(Message message, String prefix, TreeSet<String> paths) {
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            FieldDescriptor descriptor = field.getKey();
            String path = prefix + descriptor.getName();
            if (descriptor.isMapField()) {
                for (Object entry : (List<?>) field.getValue()) {
                    Message mapEntry = (Message) entry;
                    Object key = mapEntry.getField(mapEntry.getDescriptorForType().findFieldByName("key"));
                    Object value = mapEntry.getField(mapEntry.getDescriptorForType().findFieldByName("value"));
                    String entryPath = path + "[" + key + "]";
                    paths.add(entryPath);
                    if (value instanceof Message nested) {
                        collect(nested, entryPath + ".", paths);
                    }
                }
            } else if (descriptor.isRepeated()) {
                List<?> values = new ArrayList<>((List<?>) field.getValue());
                paths.add(path + "[" + values.size() + "]");
                for (int i = 0; i < values.size(); i++) {
                    if (values.get(i) instanceof Message nested) {
                        collect(nested, path + "[" + i + "].", paths);
                    }
                }
            } else {
                paths.add(path);
                if (field.getValue() instanceof Message nested && !OPAQUE.contains(nested.getDescriptorForType().getFullName())) {
                    collect(nested, path + ".", paths);
                }
            }
        }
    }
}
