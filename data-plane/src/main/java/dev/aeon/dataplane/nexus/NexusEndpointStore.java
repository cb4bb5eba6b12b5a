package dev.aeon.dataplane.nexus;

import java.util.List;
import java.util.Optional;

/** The Nexus endpoints of this cell, as the control plane provisioned them. */
public interface NexusEndpointStore {

    /**
     * Writes the endpoint if its stored record is still at {@code expectedVersion} (0: there is none yet), the
     * endpoint carrying the next version. False when someone wrote it meanwhile: nothing is written then.
     */
    boolean put(NexusEndpoint endpoint, long expectedVersion);

    /** Removes the endpoint; false when there was none. */
    boolean delete(String id);

    Optional<NexusEndpoint> byId(String id);

    List<NexusEndpoint> all();
}
