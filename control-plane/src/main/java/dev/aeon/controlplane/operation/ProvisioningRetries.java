package dev.aeon.controlplane.operation;

import dev.aeon.controlplane.provisioning.DataPlaneProvisioner.ProvisioningException;
import dev.aeon.controlplane.store.AsyncOperationRow;
import dev.aeon.controlplane.store.ResourceRow;
import dev.aeon.controlplane.store.ResourceStore;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Carries provisioning operations to the data plane in the background, shared with the other control-plane replicas:
 * an attempt runs only while this replica holds the operation's claim in the store
 * ({@link ResourceStore#claimAttempt}), taken again at each attempt, so no two replicas (nor two threads) ever call
 * the data plane for one resource at once, and only the holder ends the operation. Attempts repeat after a doubling
 * backoff capped at a maximum, for as long as they ask for another (the data plane unreachable or failing, the store
 * failing, or another operation of the resource held): giving up would leave a resource in one place only. Waiting
 * operations hold no thread: each retry is scheduled, so an outage never starves the others. Every poll interval it
 * takes up the operations nobody holds, so those of a replica that died finish without a restart.
 * <p>
 * Why a lease in the operation's row rather than a lock held across the call: a transaction (and a connection) open
 * for as long as the data plane takes to answer, and given up between retries, would let replicas take turns at one
 * operation through an outage; a lease outlives the backoff, costs no connection while waiting, shows who holds
 * what ({@code claimed_by}), and lapses on its own when its replica dies.
 */
public final class ProvisioningRetries {

    private static final Logger LOG = Logger.getLogger(ProvisioningRetries.class);
    /** While an outage lasts, one warning per this many attempts of an operation. */
    private static final int WARN_EVERY = 20;
    /** At most this many operations taken up per poll; the rest at the next. */
    private static final int POLL_BATCH = 100;

    /** One attempt at an operation this replica holds. */
    @FunctionalInterface
    public interface Attempt {
        /**
         * @param op the operation's row with this attempt marked (IN_PROGRESS, attempts counted)
         * @return true when the same call must be tried again later
         */
        boolean tryOnce(AsyncOperationRow op);
    }

    /** An attempt's call to the data plane: it applies the resource as the store holds it now. */
    @FunctionalInterface
    public interface DataPlaneCall {
        void apply() throws ProvisioningException;
    }

    /** Ends an operation in the store: fulfilled when {@code failureReason} is null, else failed with it. */
    @FunctionalInterface
    public interface Ending {
        /** @return false when this replica no longer held the operation, so nothing was written */
        boolean end(String failureReason);
    }

    private final String what;
    private final String resourceKind;
    private final ResourceStore store;
    private final ProvisioningSettings settings;
    private final Attempt attempt;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService executor;

    /**
     * @param what    the kind of resource, for thread names and logs ({@code namespace}, {@code Nexus endpoint})
     * @param kind    the resource's row class: the operations of this kind are this instance's
     * @param threads how many attempts may run at once
     */
    public ProvisioningRetries(String what, Class<? extends ResourceRow> kind, int threads, ResourceStore store,
                               ProvisioningSettings settings, Attempt attempt) {
        this.what = what;
        this.resourceKind = kind.getSimpleName();
        this.store = store;
        this.settings = settings;
        this.attempt = attempt;
        String threadName = what.toLowerCase(java.util.Locale.ROOT).replace(' ', '-') + "-provisioning";
        this.executor = Executors.newScheduledThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Takes up the operations nobody holds: now, then every poll interval. */
    public void start() {
        executor.scheduleWithFixedDelay(this::poll, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The replica id this instance claims operations as. */
    public String claimant() {
        return settings.replica();
    }

    /** Runs the operation in the background, unless it is already running here. */
    public void submit(AsyncOperationRow op) {
        if (running.add(op.accountId() + "/" + op.id())) {
            schedule(op.accountId(), op.id(), Duration.ZERO, settings.firstBackoff());
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
                if (ended(op, ending.end("the data plane rejected " + op.operationType + ": " + e.getMessage()))) {
                    LOG.warnf("%s %s: operation %s failed: %s", what, op.resourceId, op.id(), e.getMessage());
                }
                return false;
            }
            if (op.attempts == 1 || op.attempts % WARN_EVERY == 0) {
                LOG.warnf("%s %s: operation %s (%s) waits for the data plane, attempt %d: %s", what, op.resourceId,
                        op.id(), op.operationType, op.attempts, e.getMessage());
            }
            return true;
        }
        if (ended(op, ending.end(null))) {
            LOG.infof("%s %s: operation %s (%s) fulfilled", what, op.resourceId, op.id(), op.operationType);
        }
        return false;
    }

    private boolean ended(AsyncOperationRow op, boolean ended) {
        if (!ended) {
            LOG.infof("%s %s: operation %s was taken over by another replica (this one held it past its lease);"
                    + " that replica's attempt ends it", what, op.resourceId, op.id());
        }
        return ended;
    }

    /**
     * Stops attempting; once no attempt runs any more, lets go of this replica's claims so that another replica takes
     * its operations over at once rather than when their leases run out.
     */
    public void stop() throws InterruptedException {
        executor.shutdownNow();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            return; // an attempt still runs: its claims lapse with their leases
        }
        try {
            store.releaseClaims(settings.replica(), resourceKind);
        } catch (RuntimeException e) {
            LOG.warnf("%s operations: could not release this replica's claims (they lapse with their leases): %s",
                    what, e.getMessage());
        }
    }

    private void poll() {
        try {
            for (AsyncOperationRow op : store.claimableOperations(resourceKind, POLL_BATCH)) {
                submit(op);
            }
        } catch (RuntimeException e) {
            // The store failed (PostgreSQL away?); the next poll looks again. Thrown on, it would end the polling.
            if (executor.isShutdown()) {
                return; // interrupted by stop()
            }
            LOG.warnf("%s operations: could not look for unclaimed ones: %s", what, e.getMessage());
        }
    }

    private void schedule(String accountId, String operationId, Duration delay, Duration nextBackoff) {
        try {
            executor.schedule(() -> run(accountId, operationId, nextBackoff), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            running.remove(accountId + "/" + operationId); // another replica, or the next start, takes it up
        }
    }

    private void run(String accountId, String operationId, Duration backoff) {
        boolean again = false;
        try {
            ResourceStore.Claim claim = store.claimAttempt(accountId, operationId, settings.replica(),
                    settings.claimLease());
            again = switch (claim.outcome()) {
                case HELD -> attempt.tryOnce(claim.operation());
                case RESOURCE_BUSY -> true;
                case NOT_CLAIMABLE -> false;
            };
        } catch (RuntimeException e) {
            // The store failed (PostgreSQL away?): the operation is unchanged, so trying again later is safe.
            LOG.errorf(e, "%s operation %s of account %s: attempt failed in the control plane; retrying", what,
                    operationId, accountId);
            again = true;
        } finally {
            if (again) {
                Duration next = backoff.multipliedBy(2);
                Duration max = settings.maxBackoff();
                schedule(accountId, operationId, backoff, next.compareTo(max) > 0 ? max : next);
            } else {
                running.remove(accountId + "/" + operationId);
            }
        }
    }
}
