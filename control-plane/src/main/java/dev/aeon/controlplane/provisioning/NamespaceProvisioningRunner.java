package dev.aeon.controlplane.provisioning;

import dev.aeon.controlplane.api.ProtoJson;
import dev.aeon.controlplane.store.AsyncOperationRow;
import dev.aeon.controlplane.store.NamespaceRow;
import dev.aeon.controlplane.store.ResourceStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.temporal.api.cloud.namespace.v1.NamespaceSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs namespace operations against the data plane: PENDING → IN_PROGRESS → FULFILLED once the data plane answered
 * 2xx, or FAILED with the reason after {@code aeon.data-plane.provision-attempts} attempts (exponential backoff).
 * Operations left unfinished by a previous process are resumed at start-up.
 */
@ApplicationScoped
public class NamespaceProvisioningRunner {

    private static final Logger LOG = Logger.getLogger(NamespaceProvisioningRunner.class);

    @Inject
    ResourceStore store;

    @Inject
    DataPlaneProvisioner provisioner;

    @ConfigProperty(name = "aeon.data-plane.provision-attempts", defaultValue = "8")
    int maxAttempts;

    @ConfigProperty(name = "aeon.data-plane.provision-backoff", defaultValue = "500ms")
    Duration firstBackoff;

    @ConfigProperty(name = "aeon.data-plane.provision-max-backoff", defaultValue = "10s")
    Duration maxBackoff;

    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "namespace-provisioning");
        thread.setDaemon(true);
        return thread;
    });

    void resumeUnfinished(@Observes StartupEvent start) {
        for (AsyncOperationRow op : store.unfinishedOperations()) {
            if (op.resourceKind.equals(NamespaceRow.class.getSimpleName())) {
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
        String accountId = op.accountId();
        String id = op.id();
        String key = accountId + "/" + id;
        if (!running.add(key)) {
            return;
        }
        executor.execute(() -> {
            try {
                run(accountId, id);
            } catch (RuntimeException e) {
                LOG.errorf(e, "namespace operation %s of account %s stopped unexpectedly; it resumes at next start",
                        id, accountId);
            } finally {
                running.remove(key);
            }
        });
    }

    private void run(String accountId, String operationId) {
        String lastError = "no attempt made";
        Duration backoff = firstBackoff;
        while (true) {
            Optional<AsyncOperationRow> attempt = store.startAttempt(accountId, operationId);
            if (attempt.isEmpty()) {
                return;
            }
            AsyncOperationRow op = attempt.get();
            Optional<NamespaceRow> namespace = store.find(NamespaceRow.class, accountId, op.resourceId);
            try {
                if (namespace.isEmpty() || namespace.get().state.equals("RESOURCE_STATE_DELETING")) {
                    provisioner.delete(op.resourceId);
                } else {
                    NamespaceSpec spec = ProtoJson.parseStored(namespace.get().spec, NamespaceSpec.newBuilder());
                    provisioner.put(op.resourceId, NamespaceProvisioning.of(accountId, spec));
                }
                store.finishNamespaceOperation(accountId, operationId, true, null);
                LOG.infof("namespace %s: operation %s (%s) fulfilled", op.resourceId, operationId, op.operationType);
                return;
            } catch (DataPlaneProvisioner.ProvisioningException e) {
                lastError = e.getMessage();
            }
            if (op.attempts >= maxAttempts) {
                store.finishNamespaceOperation(accountId, operationId, false, "the data plane did not apply "
                        + op.operationType + " after " + op.attempts + " attempts: " + lastError);
                LOG.warnf("namespace %s: operation %s failed: %s", op.resourceId, operationId, lastError);
                return;
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        }
    }
}
