package dev.aeon.controlplane.namespace;

import dev.aeon.controlplane.namespace.NamespaceLifecycle.Event;
import dev.aeon.controlplane.namespace.NamespaceLifecycle.State;
import dev.aeon.controlplane.operation.ProvisioningRunner;
import dev.aeon.controlplane.operation.ProvisioningSettings;
import dev.aeon.controlplane.proto.ProtoJson;
import dev.aeon.controlplane.provisioning.DataPlaneProvisioner;
import dev.aeon.controlplane.provisioning.NamespaceProvisioning;
import dev.aeon.controlplane.store.AsyncOperationRow;
import dev.aeon.controlplane.store.NamespaceRow;
import dev.aeon.controlplane.store.ResourceStore;
import io.temporal.api.cloud.namespace.v1.NamespaceSpec;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Runs namespace operations against the data plane: PENDING → IN_PROGRESS → FULFILLED once the data plane answered
 * 2xx, or FAILED with the reason when it rejected the change (a 4xx about the request). While the data plane is
 * unreachable or failing, the operation stays IN_PROGRESS and is retried with doubling backoff capped at
 * {@code aeon.control-plane.provisioning.max-backoff}, for as long as it takes: giving up would leave a namespace that
 * exists in the store but not on the data plane (or the reverse). Every replica runs one; each operation runs on the
 * replica that holds its claim ({@link ProvisioningRunner}), and one that nobody holds (its replica died) is taken
 * up by the next replica to look.
 */
@Singleton
public class NamespaceProvisioningRunner extends ProvisioningRunner {

    @Inject
    public NamespaceProvisioningRunner(ResourceStore store, DataPlaneProvisioner provisioner,
                                       ProvisioningSettings settings) {
        super("namespace", NamespaceRow.class, 2, store, provisioner, settings);
    }

    @Override
    protected boolean tryOnce(AsyncOperationRow op) {
        Optional<NamespaceRow> namespace = store.find(NamespaceRow.class, op.accountId(), op.resourceId);
        return settle(op, () -> {
            if (namespace.isEmpty() || State.stored(namespace.get().state) == State.DELETING) {
                provisioner.delete(op.resourceId);
            } else {
                NamespaceSpec spec = ProtoJson.parseStored(namespace.get().spec, NamespaceSpec.newBuilder());
                provisioner.put(op.resourceId, NamespaceProvisioning.of(op.accountId(), spec,
                        SearchAttributeFieldsColumn.of(namespace.get(), spec),
                        SearchAttributeFieldsColumn.formerNames(namespace.get())));
            }
        }, failureReason -> finish(op, namespace, failureReason == null ? Event.PROVISIONED : Event.REJECTED,
                failureReason));
    }

    /**
     * Ends the operation and moves its namespace as the lifecycle says. A namespace that is gone, or whose latest
     * change is another operation's, only sees the operation end.
     *
     * @return false when this replica no longer held the operation, so nothing was written
     */
    private boolean finish(AsyncOperationRow op, Optional<NamespaceRow> namespace, Event outcome,
                           String failureReason) {
        ResourceStore.StateChange change = namespace.filter(row -> op.id().equals(row.asyncOperationId)).map(row -> {
            State from = State.stored(row.state);
            return new ResourceStore.StateChange(row.id, from.storedName(),
                    NamespaceLifecycle.next(row.id, from, outcome).storedName());
        }).orElse(null);
        return store.finishNamespaceOperation(op.accountId(), op.id(), claimant(), failureReason, change);
    }
}
