package dev.aeon.dataplane.nexus;

import java.util.List;

/**
 * A Nexus endpoint as the control plane provisions it on this cell ({@code PUT /internal/v1/nexus-endpoints/{id}},
 * docs/internal-api.md): Temporal Cloud's endpoint spec with namespaces named as on the data plane.
 *
 * @param accountId               the account owning the endpoint; its target and callers are that account's namespaces
 * @param targetNamespace         where requests go: the namespace ({@code <name>.<account>}) ...
 * @param targetTaskQueue         ... and the task queue its handler workers poll
 * @param allowedCallerNamespaces the namespaces whose workflows may call it (none by default, as on Temporal Cloud);
 *                                enforced by the caller side, when a workflow schedules an operation
 * @param description             the endpoint's description, a serialized {@code temporal.api.common.v1.Payload}
 *                                in base64 (may be encrypted by the tenant's codec); null when none
 */
public record NexusEndpointSpec(String accountId, String name, String targetNamespace, String targetTaskQueue,
                                List<String> allowedCallerNamespaces, String description) {

    public NexusEndpointSpec {
        allowedCallerNamespaces = allowedCallerNamespaces == null ? List.of() : List.copyOf(allowedCallerNamespaces);
    }
}
