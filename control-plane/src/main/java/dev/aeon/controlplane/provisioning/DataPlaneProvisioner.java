package dev.aeon.controlplane.provisioning;

/**
 * Applies a namespace's desired state to the data plane. Both calls are idempotent: repeating one with the same input
 * changes nothing, which is what lets the operation runner retry them.
 */
public interface DataPlaneProvisioner {

    /** Creates or updates the namespace; returns once the data plane said it is usable. */
    void put(String namespaceId, NamespaceProvisioning namespace) throws ProvisioningException;

    /** Removes the namespace; succeeds also when it is already gone. */
    void delete(String namespaceId) throws ProvisioningException;

    /** The data plane did not apply the change; the message says what it answered (never a secret). */
    class ProvisioningException extends Exception {
        public ProvisioningException(String message) {
            super(message);
        }
    }
}
