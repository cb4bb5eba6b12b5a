package dev.aeon.dataplane.persistence;

import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;

import java.util.List;
import java.util.Optional;

/**
 * Namespaces of this data-plane cell. A namespace is kept as the {@link DescribeNamespaceResponse} Temporal
 * returns for it, so every field the API knows survives without a schema change.
 */
public interface NamespaceStore {

    /** Creates the namespace; false when one with the same name exists already (nothing is written then). */
    boolean create(DescribeNamespaceResponse namespace);

    /** Replaces an existing namespace's record; false when it does not exist. */
    boolean update(DescribeNamespaceResponse namespace);

    Optional<DescribeNamespaceResponse> byName(String name);

    Optional<DescribeNamespaceResponse> byId(String id);

    List<DescribeNamespaceResponse> all();
}
