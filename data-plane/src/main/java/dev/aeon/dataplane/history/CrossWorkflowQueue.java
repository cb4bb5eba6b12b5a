package dev.aeon.dataplane.history;

import dev.aeon.dataplane.matching.DispatchTask;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs cross-workflow tasks (transfer rows that are not for workers) after the transition that created them
 * commits, and again after a failure or a restart: at least once, so their handlers are idempotent.
 */
@ApplicationScoped
public class CrossWorkflowQueue {

    private static final Logger LOG = Logger.getLogger(CrossWorkflowQueue.class);

    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aeon-cross-workflow-retries");
        t.setDaemon(true);
        return t;
    });
    private volatile Consumer<DispatchTask> handler;
    private volatile Executor executor;

    void onTask(Consumer<DispatchTask> handler, Executor executor) {
        this.handler = handler;
        this.executor = executor;
    }

    void submit(DispatchTask task) {
        executor.execute(() -> run(task, 1));
    }

    private void run(DispatchTask task, int attempt) {
        try {
            handler.accept(task);
        } catch (RuntimeException e) {
            long delay = Math.min(30_000, 200L << Math.min(attempt, 7));
            LOG.warnf("%s task of run %s failed (%s); retrying in %d ms", task.kind(), task.runId(), e.getMessage(),
                    delay);
            retries.schedule(() -> executor.execute(() -> run(task, attempt + 1)), delay, TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stop() {
        retries.shutdownNow();
    }
}
