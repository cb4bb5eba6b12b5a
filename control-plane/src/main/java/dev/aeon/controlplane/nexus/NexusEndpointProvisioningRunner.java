package dev.aeon.controlplane.nexus;

import dev.aeon.controlplane.operation.ProvisioningRetries;
import dev.aeon.controlplane.proto.ProtoJson;
import dev.aeon.controlplane.provisioning.DataPlaneProvisioner;
import dev.aeon.controlplane.provisioning.NexusEndpointProvisioning;
import dev.aeon.controlplane.store.AsyncOperationRow;
import dev.aeon.controlplane.store.NexusEndpointRow;
import dev.aeon.controlplane.store.ResourceStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.temporal.api.cloud.nexus.v1.EndpointSpec;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs Nexus endpoint operations against the data plane, as namespace operations run: PENDING → IN_PROGRESS →
 * FULFILLED once the data plane applied the endpoint as it is now in the store (or removed it, when the row is
 * gone), FAILED when the data plane refused it (a 4xx about the request), retried with doubling backoff up to
 * {@code aeon.control-plane.provisioning.max-backoff} for as long as the data plane is unreachable or failing, and
 * resumed at start-up. Each attempt sends the endpoint's current row, so operations that overtake each other converge
 * on the latest change; attempts on one endpoint run one at a time, so an older attempt never lands after a newer one.
 */
@ApplicationScoped
public class NexusEndpointProvisioningRunner {

    @Inject
    ResourceStore store;

    @Inject
    DataPlaneProvisioner provisioner;

    @ConfigProperty(name = "aeon.control-plane.provisioning.backoff", defaultValue = "500ms")
    Duration firstBackoff;

    @ConfigProperty(name = "aeon.control-plane.provisioning.max-backoff", defaultValue = "10s")
    Duration maxBackoff;

    private final Map<String, Object> endpointLocks = new ConcurrentHashMap<>();
    private ProvisioningRetries retries;

    @PostConstruct
    void start() {
        retries = new ProvisioningRetries("Nexus endpoint", 1, firstBackoff, maxBackoff, this::tryOnce);
    }

    void resumeUnfinished(@Observes StartupEvent start) {
        for (AsyncOperationRow op : store.unfinishedOperations()) {
            if (op.resourceKind.equals(NexusEndpointRow.class.getSimpleName())) {
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
        synchronized (endpointLocks.computeIfAbsent(op.resourceId, id -> new Object())) {
            Optional<NexusEndpointRow> endpoint = store.find(NexusEndpointRow.class, accountId, op.resourceId);
            return retries.settle(op, () -> {
                if (endpoint.isEmpty()) {
                    provisioner.deleteNexusEndpoint(op.resourceId);
                } else {
                    provisioner.putNexusEndpoint(op.resourceId, NexusEndpointProvisioning.of(accountId,
                            ProtoJson.parseStored(endpoint.get().spec, EndpointSpec.newBuilder())));
                }
            }, failureReason -> store.finishOperation(accountId, operationId, failureReason));
        }
    }
}
