package dev.aeon.controlplane.operation;

import dev.aeon.controlplane.provisioning.DataPlaneProvisioner;
import dev.aeon.controlplane.store.AsyncOperationRow;
import dev.aeon.controlplane.store.ResourceRow;
import dev.aeon.controlplane.store.ResourceStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;

/**
 * What every resource kind's provisioning runner does on each replica, around its own attempt
 * ({@link #tryOnce}): starts with the application, taking up the operations nobody holds, then every
 * {@code aeon.control-plane.provisioning.poll-interval}; runs what its service hands it; stops with the application,
 * letting go of its claims. Tests make several, as replicas sharing one database.
 * <p>
 * Subclasses are {@code @Singleton}s: constructor-injected, with no client proxy to need a no-args constructor.
 */
public abstract class ProvisioningRunner {

    protected final ResourceStore store;
    protected final DataPlaneProvisioner provisioner;
    private final ProvisioningRetries retries;

    /**
     * @param what    the kind of resource, for thread names and logs ({@code namespace}, {@code Nexus endpoint})
     * @param kind    the resource's row class: the operations of this kind are this runner's
     * @param threads how many attempts may run at once
     */
    protected ProvisioningRunner(String what, Class<? extends ResourceRow> kind, int threads, ResourceStore store,
                                 DataPlaneProvisioner provisioner, ProvisioningSettings settings) {
        this.store = store;
        this.provisioner = provisioner;
        this.retries = new ProvisioningRetries(what, kind, threads, store, settings, this::tryOnce);
    }

    /**
     * One attempt at an operation this replica holds: the data plane call, settled with {@link #settle}.
     *
     * @param op the operation's row with this attempt marked (IN_PROGRESS, attempts counted)
     * @return true when the same call must be tried again later
     */
    protected abstract boolean tryOnce(AsyncOperationRow op);

    /** See {@link ProvisioningRetries#settle}. */
    protected boolean settle(AsyncOperationRow op, ProvisioningRetries.DataPlaneCall call,
                             ProvisioningRetries.Ending ending) {
        return retries.settle(op, call, ending);
    }

    /** The replica id this runner holds operations as: ending one takes it. */
    protected String claimant() {
        return retries.claimant();
    }

    protected void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Takes up the operations nobody holds: now, then every poll interval. */
    public void start() {
        retries.start();
    }

    protected void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        stop();
    }

    /** Stops, and lets go of this replica's claims for the others to take over at once. */
    public void stop() throws InterruptedException {
        retries.stop();
    }

    /** Runs the operation in the background, unless it is already running here. */
    public void submit(AsyncOperationRow op) {
        retries.submit(op);
    }
}
