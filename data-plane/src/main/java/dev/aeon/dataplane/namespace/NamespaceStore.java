package dev.aeon.dataplane.namespace;


import java.util.List;
import java.util.Optional;

/**
 * Namespaces of this data-plane cell. A namespace is kept as the {@code DescribeNamespaceResponse} Temporal
 * returns for it, so every field the API knows survives without a schema change, plus the control plane's
 * settings when it provisioned the namespace.
 */
public interface NamespaceStore {

    /** Creates the namespace; false when one with the same name exists already (nothing is written then). */
    boolean create(Namespace namespace);

    /**
     * Replaces an existing namespace's record if it is still at {@code namespace.version()} (the version it was read
     * at), and moves it to the next version. False when it does not exist or was changed since: nothing is written
     * then, and the caller re-reads and re-applies its change.
     */
    boolean update(Namespace namespace);

    /** Removes the namespace's record; its name is free again. False when there was none. */
    boolean delete(String name);

    Optional<Namespace> byName(String name);

    Optional<Namespace> byId(String id);

    List<Namespace> all();
}
