package dev.aeon.controlplane.operation;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.proto.ProtoJson;
import dev.aeon.controlplane.store.ResourceRow;

/**
 * The fields every Cloud API resource message shares (id, resource_version, state, async_operation_id, created and
 * modified times), filled from a row by their proto names, plus the spec parsed from its stored JSON.
 */
public final class ResourceProtos {

    private ResourceProtos() {
    }

    /** @param idField "id", or "namespace" for a Namespace */
    @SuppressWarnings("unchecked")
    public static <M extends Message> M toProto(Message.Builder builder, ResourceRow row, String idField) {
        Descriptor type = builder.getDescriptorForType();
        builder.setField(type.findFieldByName(idField), row.id);
        builder.setField(type.findFieldByName("resource_version"), String.valueOf(row.resourceVersion));
        FieldDescriptor state = type.findFieldByName("state");
        builder.setField(state, state.getEnumType().findValueByName(row.state));
        builder.setField(type.findFieldByName("async_operation_id"),
                row.asyncOperationId == null ? "" : row.asyncOperationId);
        set(builder, "created_time", AsyncOperations.timestamp(row.createdAt));
        set(builder, "last_modified_time", AsyncOperations.timestamp(row.updatedAt));
        FieldDescriptor spec = type.findFieldByName("spec");
        builder.setField(spec, ProtoJson.parseStored(row.spec, builder.newBuilderForField(spec)));
        return (M) builder.build();
    }

    private static void set(Message.Builder builder, String field, Object value) {
        FieldDescriptor descriptor = builder.getDescriptorForType().findFieldByName(field);
        if (descriptor != null) {
            builder.setField(descriptor, value);
        }
    }

    /** The row, or NOT_FOUND naming what was looked for. */
    public static <R extends ResourceRow> R existing(R row, String what, String id) {
        if (row == null) {
            throw CloudApiException.notFound(what, id);
        }
        return row;
    }
}
