package dev.aeon.controlplane.namespace;

import dev.aeon.controlplane.namespace.NamespaceLifecycle.Event;
import dev.aeon.controlplane.namespace.NamespaceLifecycle.State;
import dev.aeon.controlplane.operation.ProvisioningRetries;
import dev.aeon.controlplane.proto.ProtoJson;
import dev.aeon.controlplane.provisioning.DataPlaneProvisioner;
import dev.aeon.controlplane.provisioning.NamespaceProvisioning;
import dev.aeon.controlplane.store.AsyncOperationRow;
import dev.aeon.controlplane.store.NamespaceRow;
import dev.aeon.controlplane.store.ResourceStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.temporal.api.cloud.namespace.v1.NamespaceSpec;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;

/**
 * Runs namespace operations against the data plane: PENDING → IN_PROGRESS → FULFILLED once the data plane answered
 * 2xx, or FAILED with the reason when it rejected the change (a 4xx about the request). While the data plane is
 * unreachable or failing, the operation stays IN_PROGRESS and is retried with doubling backoff capped at
 * {@code aeon.control-plane.provisioning.max-backoff}, for as long as it takes: giving up would leave a namespace that
 * exists in the store but not on the data plane (or the reverse). Operations left unfinished by a previous process
 * are resumed at start-up.
 */
@ApplicationScoped
public class NamespaceProvisioningRunner {

    @Inject
    ResourceStore store;

    @Inject
    DataPlaneProvisioner provisioner;

    @ConfigProperty(name = "aeon.control-plane.provisioning.backoff", defaultValue = "500ms")
    Duration firstBackoff;

    @ConfigProperty(name = "aeon.control-plane.provisioning.max-backoff", defaultValue = "10s")
    Duration maxBackoff;

    private ProvisioningRetries retries;

    @PostConstruct
    void start() {
        retries = new ProvisioningRetries("namespace", 2, firstBackoff, maxBackoff, this::tryOnce);
    }

    void resumeUnfinished(@Observes StartupEvent start) {
        for (AsyncOperationRow op : store.unfinishedOperations()) {
            if (op.resourceKind.equals(NamespaceRow.class.getSimpleName())) {
                submit(op);
            }
        }
    }

    void stop(@Observes ShutdownEvent stop) throws InterruptedException {
        retries.stop();
    }

    /** Runs the operation in the background, unless it is already running here. */
    public void submit(AsyncOperationRow op) {
        retries.submit(op);
    }

    /** @return true when the data plane could not be reached or failed, so the same call must be tried again */
    private boolean tryOnce(String accountId, String operationId) {
        Optional<AsyncOperationRow> attempt = store.startAttempt(accountId, operationId);
        if (attempt.isEmpty()) {
            return false;
        }
        AsyncOperationRow op = attempt.get();
        Optional<NamespaceRow> namespace = store.find(NamespaceRow.class, accountId, op.resourceId);
        return retries.settle(op, () -> {
            if (namespace.isEmpty() || State.stored(namespace.get().state) == State.DELETING) {
                provisioner.delete(op.resourceId);
            } else {
                NamespaceSpec spec = ProtoJson.parseStored(namespace.get().spec, NamespaceSpec.newBuilder());
                provisioner.put(op.resourceId, NamespaceProvisioning.of(accountId, spec,
                        SearchAttributeFieldsColumn.of(namespace.get(), spec),
                        SearchAttributeFieldsColumn.formerNames(namespace.get())));
            }
        }, failureReason -> finish(op, namespace, failureReason == null ? Event.PROVISIONED : Event.REJECTED,
                failureReason));
    }

    /**
     * Ends the operation and moves its namespace as the lifecycle says. A namespace that is gone, or whose latest
     * change is another operation's, only sees the operation end.
     */
    private void finish(AsyncOperationRow op, Optional<NamespaceRow> namespace, Event outcome, String failureReason) {
        ResourceStore.StateChange change = namespace.filter(row -> op.id().equals(row.asyncOperationId)).map(row -> {
            State from = State.stored(row.state);
            return new ResourceStore.StateChange(row.id, from.storedName(),
                    NamespaceLifecycle.next(row.id, from, outcome).storedName());
        }).orElse(null);
        store.finishNamespaceOperation(op.accountId(), op.id(), failureReason, change);
    }
}
