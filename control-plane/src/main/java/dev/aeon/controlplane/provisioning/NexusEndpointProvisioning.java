package dev.aeon.controlplane.provisioning;

import io.temporal.api.cloud.nexus.v1.EndpointPolicySpec;
import io.temporal.api.cloud.nexus.v1.EndpointSpec;

import java.util.Base64;
import java.util.List;

/**
 * The body of {@code PUT /internal/v1/nexus-endpoints/{id}} on the data plane (docs/internal-api.md): the endpoint's
 * Cloud spec with its namespaces by name, as the data plane's registry keeps it.
 *
 * @param description the spec's description Payload, serialized and in base64; null when it has none
 */
public record NexusEndpointProvisioning(String accountId, String name, String targetNamespace,
                                        String targetTaskQueue, List<String> allowedCallerNamespaces,
                                        String description) {

    /** From a validated spec: namespace ids are {@code <name>.<account>}, which is their name on the data plane. */
    public static NexusEndpointProvisioning of(String accountId, EndpointSpec spec) {
        var target = spec.getTargetSpec().getWorkerTargetSpec();
        List<String> callers = spec.getPolicySpecsList().stream()
                .map(EndpointPolicySpec::getAllowedCloudNamespacePolicySpec)
                .map(policy -> policy.getNamespaceId()).distinct().toList();
        String description = spec.hasDescription()
                ? Base64.getEncoder().encodeToString(spec.getDescription().toByteArray()) : null;
        return new NexusEndpointProvisioning(accountId, spec.getName(), target.getNamespaceId(), target.getTaskQueue(),
                callers, description);
    }
}
