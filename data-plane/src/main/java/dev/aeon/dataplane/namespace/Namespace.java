package dev.aeon.dataplane.namespace;

import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;

/**
 * A namespace of this cell: Temporal's description of it, and the control plane's settings when it was provisioned
 * by the control plane ({@code settings} is null for one registered over {@code RegisterNamespace}).
 */
public record Namespace(DescribeNamespaceResponse description, NamespaceSettings settings) {

    public String name() {
        return description.getNamespaceInfo().getName();
    }

    public String id() {
        return description.getNamespaceInfo().getId();
    }

    public boolean provisioned() {
        return settings != null;
    }
}
