package dev.aeon.controlplane.nexus;

import dev.aeon.controlplane.operation.ProvisioningRunner;
import dev.aeon.controlplane.operation.ProvisioningSettings;
import dev.aeon.controlplane.proto.ProtoJson;
import dev.aeon.controlplane.provisioning.DataPlaneProvisioner;
import dev.aeon.controlplane.provisioning.NexusEndpointProvisioning;
import dev.aeon.controlplane.store.AsyncOperationRow;
import dev.aeon.controlplane.store.NexusEndpointRow;
import dev.aeon.controlplane.store.ResourceStore;
import io.temporal.api.cloud.nexus.v1.EndpointSpec;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Runs Nexus endpoint operations against the data plane, as namespace operations run: PENDING → IN_PROGRESS →
 * FULFILLED once the data plane applied the endpoint as it is now in the store (or removed it, when the row is
 * gone), FAILED when the data plane refused it (a 4xx about the request), retried with doubling backoff up to
 * {@code aeon.control-plane.provisioning.max-backoff} for as long as the data plane is unreachable or failing, on the
 * replica that holds the operation's claim, taken over by another when that replica dies. Each attempt sends the
 * endpoint's current row, so operations that overtake each other converge on the latest change; the claims let one
 * attempt per endpoint run at a time across all replicas, so an older attempt never lands after a newer one.
 */
@Singleton
public class NexusEndpointProvisioningRunner extends ProvisioningRunner {

    @Inject
    public NexusEndpointProvisioningRunner(ResourceStore store, DataPlaneProvisioner provisioner,
                                           ProvisioningSettings settings) {
        super("Nexus endpoint", NexusEndpointRow.class, 1, store, provisioner, settings);
    }

    @Override
    protected boolean tryOnce(AsyncOperationRow op) {
        Optional<NexusEndpointRow> endpoint = store.find(NexusEndpointRow.class, op.accountId(), op.resourceId);
        return settle(op, () -> {
            if (endpoint.isEmpty()) {
                provisioner.deleteNexusEndpoint(op.resourceId);
            } else {
                provisioner.putNexusEndpoint(op.resourceId, NexusEndpointProvisioning.of(op.accountId(),
                        ProtoJson.parseStored(endpoint.get().spec, EndpointSpec.newBuilder())));
            }
        }, failureReason -> store.finishOperation(op.accountId(), op.id(), claimant(), failureReason));
    }
}
