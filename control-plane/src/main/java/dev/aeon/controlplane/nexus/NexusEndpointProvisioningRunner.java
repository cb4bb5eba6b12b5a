package dev.aeon.controlplane.nexus;

import dev.aeon.controlplane.proto.ProtoJson;
import dev.aeon.controlplane.provisioning.DataPlaneProvisioner;
import dev.aeon.controlplane.provisioning.NexusEndpointProvisioning;
import dev.aeon.controlplane.store.AsyncOperationRow;
import dev.aeon.controlplane.store.NexusEndpointRow;
import dev.aeon.controlplane.store.ResourceStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.temporal.api.cloud.nexus.v1.EndpointSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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

    private static final Logger LOG = Logger.getLogger(NexusEndpointProvisioningRunner.class);
    private static final int WARN_EVERY = 20;

    @Inject
    ResourceStore store;

    @Inject
    DataPlaneProvisioner provisioner;

    @ConfigProperty(name = "aeon.control-plane.provisioning.backoff", defaultValue = "500ms")
    Duration firstBackoff;

    @ConfigProperty(name = "aeon.control-plane.provisioning.max-backoff", defaultValue = "10s")
    Duration maxBackoff;

    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> endpointLocks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(1, runnable -> {
        Thread thread = new Thread(runnable, "nexus-endpoint-provisioning");
        thread.setDaemon(true);
        return thread;
    });

    void resumeUnfinished(@Observes StartupEvent start) {
        for (AsyncOperationRow op : store.unfinishedOperations()) {
            if (op.resourceKind.equals(NexusEndpointRow.class.getSimpleName())) {
                submit(op);
            }
        }
    }

    void stop(@Observes ShutdownEvent stop) throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Runs the operation in the background, unless it is already running here. */
    public void submit(AsyncOperationRow op) {
        if (running.add(op.accountId() + "/" + op.id())) {
            schedule(op.accountId(), op.id(), Duration.ZERO, firstBackoff);
        }
    }

    private void schedule(String accountId, String operationId, Duration delay, Duration nextBackoff) {
        try {
            executor.schedule(() -> attempt(accountId, operationId, nextBackoff), delay.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            running.remove(accountId + "/" + operationId); // resumes at next start
        }
    }

    private void attempt(String accountId, String operationId, Duration backoff) {
        boolean again = false;
        try {
            again = tryOnce(accountId, operationId);
        } catch (RuntimeException e) {
            // The store failed: the operation is unchanged, so trying again later is safe.
            LOG.errorf(e, "Nexus endpoint operation %s of account %s: attempt failed in the control plane; retrying",
                    operationId, accountId);
            again = true;
        } finally {
            if (again) {
                Duration next = backoff.multipliedBy(2);
                schedule(accountId, operationId, backoff, next.compareTo(maxBackoff) > 0 ? maxBackoff : next);
            } else {
                running.remove(accountId + "/" + operationId);
            }
        }
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
            try {
                if (endpoint.isEmpty()) {
                    provisioner.deleteNexusEndpoint(op.resourceId);
                } else {
                    provisioner.putNexusEndpoint(op.resourceId, NexusEndpointProvisioning.of(accountId,
                            ProtoJson.parseStored(endpoint.get().spec, EndpointSpec.newBuilder())));
                }
            } catch (DataPlaneProvisioner.ProvisioningException e) {
                if (e.rejected()) {
                    store.finishOperation(accountId, operationId, "the data plane rejected " + op.operationType
                            + ": " + e.getMessage());
                    LOG.warnf("Nexus endpoint %s: operation %s failed: %s", op.resourceId, operationId, e.getMessage());
                    return false;
                }
                if (op.attempts == 1 || op.attempts % WARN_EVERY == 0) {
                    LOG.warnf("Nexus endpoint %s: operation %s (%s) waits for the data plane, attempt %d: %s",
                            op.resourceId, operationId, op.operationType, op.attempts, e.getMessage());
                }
                return true;
            }
        }
        store.finishOperation(accountId, operationId, null);
        LOG.infof("Nexus endpoint %s: operation %s (%s) fulfilled", op.resourceId, operationId, op.operationType);
        return false;
    }
}
