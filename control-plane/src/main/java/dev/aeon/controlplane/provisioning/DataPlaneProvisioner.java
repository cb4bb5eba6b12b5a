package dev.aeon.controlplane.provisioning;

/**
 * Applies a namespace's or a Nexus endpoint's desired state to the data plane. Every call is idempotent: repeating one
 * with the same input changes nothing, which is what lets the operation runners retry them.
 */
public interface DataPlaneProvisioner {

    /** Creates or updates the namespace; returns once the data plane said it is usable. */
    void put(String namespaceId, NamespaceProvisioning namespace) throws ProvisioningException;

    /** Removes the namespace; succeeds also when it is already gone. */
    void delete(String namespaceId) throws ProvisioningException;

    /** Creates or replaces the Nexus endpoint; returns once every data-plane node will see it within seconds. */
    void putNexusEndpoint(String endpointId, NexusEndpointProvisioning endpoint) throws ProvisioningException;

    /** Removes the Nexus endpoint; succeeds also when it is already gone. */
    void deleteNexusEndpoint(String endpointId) throws ProvisioningException;

    /**
     * The data plane did not apply the change; the message says what it answered (never a secret). {@code rejected}:
     * it refused this change (a 4xx about the request), so repeating it cannot help; otherwise the data plane was
     * unreachable or failing, and the same call may succeed later.
     */
    class ProvisioningException extends Exception {
        private final boolean rejected;

        public ProvisioningException(String message, boolean rejected) {
            super(message);
            this.rejected = rejected;
        }

        public boolean rejected() {
            return rejected;
        }
    }
}
