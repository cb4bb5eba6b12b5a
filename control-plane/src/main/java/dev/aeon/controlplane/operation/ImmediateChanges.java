package dev.aeon.controlplane.operation;

import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.controlplane.operation.ResourceProtos;
import dev.aeon.controlplane.store.Actor;
import dev.aeon.controlplane.store.Mutation;
import dev.aeon.controlplane.store.ResourceRow;
import dev.aeon.controlplane.store.ResourceStore;
import io.temporal.api.cloud.operation.v1.AsyncOperation;
import io.temporal.api.cloud.resource.v1.ResourceState;

import java.util.function.Consumer;

/** Creates and deletes of resources the data plane does not hold: their operations are FULFILLED at once. */
public final class ImmediateChanges {

    private ImmediateChanges() {
    }

    /** Inserts {@code row} (id and fields set by the caller) as ACTIVE. */
    @SuppressWarnings("unchecked")
    public static <R extends ResourceRow> Mutation.Result create(ResourceStore store, ApiKeyPrincipal p, R row,
                                                                 String requestedOperationId, String operationType) {
        row.state = ResourceState.RESOURCE_STATE_ACTIVE.name();
        return store.apply(new Mutation<>((Class<R>) row.getClass(), Actor.of(p), null,
                AsyncOperations.operationId(requestedOperationId), operationType, none -> Mutation.Change.insert(row,
                false)));
    }

    /** Removes the resource if it exists and is at {@code resourceVersion}. */
    public static <R extends ResourceRow> AsyncOperation delete(ResourceStore store, ApiKeyPrincipal p, Class<R> kind,
                                                                String what, String id, String resourceVersion,
                                                                String requestedOperationId, String operationType) {
        return delete(store, p, kind, what, id, resourceVersion, requestedOperationId, operationType, row -> { });
    }

    /** As above, after {@code allowed} (which throws to refuse) saw the current row, in the same transaction. */
    public static <R extends ResourceRow> AsyncOperation delete(ResourceStore store, ApiKeyPrincipal p, Class<R> kind,
                                                                String what, String id, String resourceVersion,
                                                                String requestedOperationId, String operationType,
                                                                Consumer<R> allowed) {
        Mutation.Result result = store.apply(new Mutation<>(kind, Actor.of(p), id,
                AsyncOperations.operationId(requestedOperationId), operationType, row -> {
                    R current = ResourceProtos.existing(row, what, id);
                    allowed.accept(current);
                    AsyncOperations.requireVersion(current, resourceVersion);
                    return Mutation.Change.remove(current);
                }));
        return AsyncOperations.toProto(result.operation());
    }
}
