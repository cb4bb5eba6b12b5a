package dev.aeon.dataplane.visibility;

import dev.aeon.dataplane.visibility.store.VisibilityRecord;
import dev.aeon.dataplane.visibility.store.VisibilityStore;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;

import java.util.Map;

/** The store when {@code aeon.data-plane.visibility.enabled} is false: every call is UNIMPLEMENTED, as Temporal's. */
final class DisabledVisibilityStore implements VisibilityStore {

    private static StatusRuntimeException disabled() {
        return Status.UNIMPLEMENTED.withDescription("visibility is not enabled on this data plane"
                + " (aeon.data-plane.visibility.enabled)").asRuntimeException();
    }

    @Override
    public void upsert(VisibilityRecord record, Map<String, IndexedValueType> customAttributes) {
        throw disabled();
    }

    @Override
    public void delete(String namespaceId, String workflowId, String runId) {
        throw disabled();
    }

    /** Nothing to move: no records are kept. */
    @Override
    public void moveToFields(String namespaceId, Map<String, String> fieldsByName) {
    }

    @Override
    public long deleteNamespace(String namespaceId) {
        throw disabled();
    }

    @Override
    public Page list(ListRequest request) {
        throw disabled();
    }

    @Override
    public Page scan(ListRequest request) {
        throw disabled();
    }

    @Override
    public Count count(CountRequest request) {
        throw disabled();
    }
}
