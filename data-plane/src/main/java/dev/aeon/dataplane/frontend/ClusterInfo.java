package dev.aeon.dataplane.frontend;

import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.persistence.cassandra.CassandraConfig;
import dev.aeon.dataplane.visibility.VisibilityConfig;
import io.quarkus.runtime.LaunchMode;
import io.temporal.api.workflowservice.v1.GetClusterInfoResponse;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * This deployment as GetClusterInfo describes it, filled as Temporal's frontend fills it from its cluster metadata,
 * and this node's address (the owner of every task queue partition it serves).
 */
@Singleton
class ClusterInfo {

    /** The client versions Temporal's server accepts ({@code headers.SupportedClients}), which Aeon accepts too. */
    static final Map<String, String> SUPPORTED_CLIENTS = Map.of(
            "temporal-go", "<2.0.0",
            "temporal-java", "<2.0.0",
            "temporal-php", "<2.0.0",
            "temporal-typescript", "<2.0.0",
            "temporal-cli", "<2.0.0",
            "temporal-server", "<2.0.0",
            "temporal-ui", "<3.0.0",
            "Nexus-go-sdk", "<2.0.0");
    /** Temporal's name for its Cassandra execution store. */
    static final String PERSISTENCE_STORE = "cassandra";
    /** Temporal's name for a PostgreSQL (12 and later) visibility store, which Aeon's is. */
    static final String POSTGRES_VISIBILITY_STORE = "postgres12";
    /** A cluster that replicates to no other: Temporal's defaults for its failover versions. */
    static final long INITIAL_FAILOVER_VERSION = 1;
    static final long FAILOVER_VERSION_INCREMENT = 10;

    private final GetClusterInfoResponse response;
    private final String nodeAddress;

    /**
     * @param clusterName this cell's name; its id is derived from the name and the keyspace, so every node of the
     *                    cell, and every restart, reports the same id
     */
    ClusterInfo(HistoryEngine history, VisibilityConfig visibility, CassandraConfig cassandra,
                @ConfigProperty(name = "aeon.data-plane.cluster-name", defaultValue = "active") String clusterName,
                @ConfigProperty(name = "quarkus.grpc.server.host", defaultValue = "0.0.0.0") String grpcHost,
                @ConfigProperty(name = "quarkus.grpc.server.port", defaultValue = "7233") int grpcPort,
                @ConfigProperty(name = "quarkus.grpc.server.test-port", defaultValue = "7233") int grpcTestPort) {
        this.response = GetClusterInfoResponse.newBuilder()
                .putAllSupportedClients(SUPPORTED_CLIENTS)
                .setServerVersion(SystemInfo.TEMPORAL_SERVER_VERSION)
                .setClusterId(UUID.nameUUIDFromBytes(("aeon/" + cassandra.keyspace() + "/" + clusterName)
                        .getBytes(StandardCharsets.UTF_8)).toString())
                .setClusterName(clusterName)
                .setHistoryShardCount(history.shardCount())
                .setPersistenceStore(PERSISTENCE_STORE)
                .setVisibilityStore(visibility.enabled() ? POSTGRES_VISIBILITY_STORE : "")
                .setInitialFailoverVersion(INITIAL_FAILOVER_VERSION)
                .setFailoverVersionIncrement(FAILOVER_VERSION_INCREMENT)
                .build();
        int port = LaunchMode.current() == LaunchMode.TEST ? grpcTestPort : grpcPort;
        this.nodeAddress = host(grpcHost) + ":" + port;
    }

    GetClusterInfoResponse response() {
        return response;
    }

    /** Where this node serves gRPC: its configured host, or its own address when it listens on all of them. */
    String nodeAddress() {
        return nodeAddress;
    }

    private static String host(String configured) {
        if (!configured.equals("0.0.0.0") && !configured.equals("::")) {
            return configured;
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }
}
