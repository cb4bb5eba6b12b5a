package dev.aeon.dataplane.cluster;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "aeon.data-plane.cluster")
public interface ClusterConfig {

    /**
     * The gRPC address other nodes reach this one at (host:port); 127.0.0.1 and this node's gRPC port when absent,
     * which only serves nodes on the same machine. In Kubernetes, the pod's IP.
     */
    Optional<String> advertiseAddress();

    /** The same for this node's HTTP port (the internal API); 127.0.0.1 and the HTTP port when absent. */
    Optional<String> advertiseHttpAddress();

    /**
     * How long a node's lease lasts after its last renewal. A node that dies is replaced within about this long
     * plus one heartbeat; a node that could not renew for this long (paused, cut off from Cassandra) has lost its
     * place and leaves.
     */
    @WithDefault("6s")
    Duration lease();

    /**
     * How the history shards are placed on the nodes: {@code spread} (each shard on one live node, moved when nodes
     * join or leave) or {@code leader} (the oldest node serves every shard, the others forward every call to it).
     */
    @WithDefault("spread")
    Placement placement();

    enum Placement { SPREAD, LEADER }

    /** How often a node renews its lease and reads the other members. */
    @WithDefault("1s")
    Duration heartbeat();
}
