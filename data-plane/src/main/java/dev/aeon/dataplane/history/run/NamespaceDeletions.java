package dev.aeon.dataplane.history.run;

import dev.aeon.dataplane.history.engine.HistoryConfig;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import dev.aeon.dataplane.persistence.ExecutionStore;
import dev.aeon.dataplane.persistence.ExecutionStore.RunKey;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deleting a namespace: its name is free at once, and its executions and histories are purged after, in the
 * background. The purge is recorded before the namespace's row goes and forgotten only once no run of it is left,
 * so a restart resumes it. Each run is terminated if it is running, then deleted the way DeleteWorkflowExecution
 * deletes one: once what its close owes other workflows (its children's parent close policies) is done.
 */
@ApplicationScoped
public class NamespaceDeletions {

    private static final Logger LOG = Logger.getLogger(NamespaceDeletions.class);
    /** Runs taken per shard and pass: a pass stays short, and the next one carries on. */
    private static final int RUNS_PER_PASS = 500;

    private final HistoryEngine engine;
    private final ExecutionStore store;
    private final NamespaceRegistry namespaces;
    private final int shards;
    private final long intervalMillis;
    private final ScheduledExecutorService purger = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aeon-namespace-purge");
        t.setDaemon(true);
        return t;
    });

    public NamespaceDeletions(HistoryEngine engine, ExecutionStore store, NamespaceRegistry namespaces,
                              HistoryConfig config) {
        this.engine = engine;
        this.store = store;
        this.namespaces = namespaces;
        this.shards = engine.shardCount();
        this.intervalMillis = config.namespacePurgeInterval().toMillis();
    }

    void start(@Observes StartupEvent event) {
        purger.scheduleWithFixedDelay(this::purgeAll, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        purger.shutdownNow();
    }

    /** Removes the namespace and has its executions purged; false when it did not exist. */
    public boolean delete(String name) {
        try {
            store.requestPurge(namespaces.namespace(name).id());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
        }
        return namespaces.remove(name);
    }

    void purgeAll() {
        for (String namespaceId : store.purgesRequested()) {
            try {
                purge(namespaceId);
            } catch (RuntimeException e) {
                LOG.warnf("purge of namespace %s: %s; the next pass carries on", namespaceId, e.getMessage());
            }
        }
    }

    private void purge(String namespaceId) {
        if (exists(namespaceId)) {
            return; // its row is not deleted yet (the deletion failed after recording the purge and is retried)
        }
        int found = 0;
        java.util.List<Integer> served = engine.servedShardIds();
        for (int shard = 0; shard < shards; shard++) {
            for (RunKey run : store.runsOf(shard, namespaceId, RUNS_PER_PASS)) {
                found++;
                if (served.contains(shard)) {
                    purgeRun(namespaceId, run); // the other shards' runs are their owners' to purge
                }
            }
        }
        if (found == 0) {
            store.purgeFinished(namespaceId);
            LOG.infof("namespace %s purged", namespaceId);
        }
    }

    private void purgeRun(String namespaceId, RunKey run) {
        try {
            engine.update(namespaceId, run.workflowId(), run.runId(), m -> {
                if (m.state.isRunning()) {
                    WorkflowLifecycle.terminateRun(m, "namespace deleted", null, "aeon-namespace-deletion");
                }
                m.deleteSoon();
                return null;
            });
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e; // NOT_FOUND: deleted meanwhile
            }
        }
    }

    private boolean exists(String namespaceId) {
        try {
            namespaces.byId(namespaceId);
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }
}
