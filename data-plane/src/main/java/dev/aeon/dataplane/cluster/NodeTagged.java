package dev.aeon.dataplane.cluster;

import java.util.Optional;
import java.util.UUID;

/**
 * Ids of work a node keeps in memory only (a query waiting for its answer, a Nexus request waiting for its handler's),
 * tagged with that node's id: the worker's answer carries the id back in its task token, and any node it reaches
 * forwards the answer to the node that waits for it.
 */
public final class NodeTagged {

    private NodeTagged() {
    }

    /** A new random id tagged with {@code nodeId}. */
    public static String newId(String nodeId) {
        return UUID.randomUUID() + "@" + nodeId;
    }

    /** The node that made {@code id}; empty for an untagged id. */
    public static Optional<String> nodeOf(String id) {
        int at = id.indexOf('@');
        return at < 0 ? Optional.empty() : Optional.of(id.substring(at + 1));
    }
}
