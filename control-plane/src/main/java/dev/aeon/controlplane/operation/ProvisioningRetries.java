package dev.aeon.controlplane.operation;

import dev.aeon.controlplane.provisioning.DataPlaneProvisioner.ProvisioningException;
import dev.aeon.controlplane.store.AsyncOperationRow;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Carries provisioning operations to the data plane in the background: one attempt at a time per operation, the next
 * after a doubling backoff capped at a maximum, for as long as attempts ask for another (the data plane unreachable or
 * failing, or the store failing). Giving up would leave a resource in one place only. Waiting operations hold no
 * thread: each retry is scheduled, so an outage never starves the others.
 */
public final class ProvisioningRetries {

    private static final Logger LOG = Logger.getLogger(ProvisioningRetries.class);
    /** While an outage lasts, one warning per this many attempts of an operation. */
    private static final int WARN_EVERY = 20;

    /** One attempt at an operation. */
    @FunctionalInterface
    public interface Attempt {
        /** @return true when the same call must be tried again later */
        boolean tryOnce(String accountId, String operationId);
    }

    /** An attempt's call to the data plane: it applies the resource as the store holds it now. */
    @FunctionalInterface
    public interface DataPlaneCall {
        void apply() throws ProvisioningException;
    }

    /** Ends an operation in the store: fulfilled when {@code failureReason} is null, else failed with it. */
    @FunctionalInterface
    public interface Ending {
        void end(String failureReason);
    }

    private final String what;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Attempt attempt;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService executor;

    /**
     * @param what    the kind of resource, for thread names and logs ({@code namespace}, {@code Nexus endpoint})
     * @param threads how many attempts may run at once
     */
    public ProvisioningRetries(String what, int threads, Duration firstBackoff, Duration maxBackoff, Attempt attempt) {
        this.what = what;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.attempt = attempt;
        String threadName = what.toLowerCase(java.util.Locale.ROOT).replace(' ', '-') + "-provisioning";
        this.executor = Executors.newScheduledThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs the operation in the background, unless it is already running here. */
    public void submit(AsyncOperationRow op) {
        if (running.add(op.accountId() + "/" + op.id())) {
            schedule(op.accountId(), op.id(), Duration.ZERO, firstBackoff);
        }
    }

    /**
     * Settles one attempt of {@code op} by what the data plane answered {@code call}: applied, the operation ends
     * fulfilled; rejected (a 4xx about the change, which repeating cannot help), it ends failed with the data plane's
     * reason; unreachable or failing, it stays as it is and the answer is true, to try again (warned about on the first
     * attempt and every {@value #WARN_EVERY}th, so an outage does not flood the log).
     *
     * @return true when the same call must be tried again later
     */
    public boolean settle(AsyncOperationRow op, DataPlaneCall call, Ending ending) {
        try {
            call.apply();
        } catch (ProvisioningException e) {
            if (e.rejected()) {
                ending.end("the data plane rejected " + op.operationType + ": " + e.getMessage());
                LOG.warnf("%s %s: operation %s failed: %s", what, op.resourceId, op.id(), e.getMessage());
                return false;
            }
            if (op.attempts == 1 || op.attempts % WARN_EVERY == 0) {
                LOG.warnf("%s %s: operation %s (%s) waits for the data plane, attempt %d: %s", what, op.resourceId,
                        op.id(), op.operationType, op.attempts, e.getMessage());
            }
            return true;
        }
        ending.end(null);
        LOG.infof("%s %s: operation %s (%s) fulfilled", what, op.resourceId, op.id(), op.operationType);
        return false;
    }

    public void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void schedule(String accountId, String operationId, Duration delay, Duration nextBackoff) {
        try {
            executor.schedule(() -> run(accountId, operationId, nextBackoff), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            running.remove(accountId + "/" + operationId); // resumes at next start
        }
    }

    private void run(String accountId, String operationId, Duration backoff) {
        boolean again = false;
        try {
            again = attempt.tryOnce(accountId, operationId);
        } catch (RuntimeException e) {
            // The store failed (PostgreSQL away?): the operation is unchanged, so trying again later is safe.
            LOG.errorf(e, "%s operation %s of account %s: attempt failed in the control plane; retrying", what,
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
}
