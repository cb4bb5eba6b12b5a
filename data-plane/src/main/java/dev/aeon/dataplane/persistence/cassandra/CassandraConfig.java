package dev.aeon.dataplane.persistence.cassandra;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How the data plane reaches its Cassandra cluster: the embedded one in dev and tests, an external one in production. */
@ConfigMapping(prefix = "aeon.cassandra")
public interface CassandraConfig {

    /** host:port pairs of the nodes to contact first. */
    @WithDefault("127.0.0.1:9042")
    List<String> contactPoints();

    /** The datacenter whose nodes serve requests at LOCAL_QUORUM / LOCAL_SERIAL. */
    @WithDefault("datacenter1")
    String localDatacenter();

    @WithDefault("aeon")
    String keyspace();

    /** The keyspace's replication map, used only when the keyspace is created. */
    @WithDefault("{'class': 'SimpleStrategy', 'replication_factor': 1}")
    String replication();

    Optional<String> username();

    Optional<String> password();

    @WithDefault("10s")
    Duration requestTimeout();

    Tls tls();

    interface Tls {

        @WithDefault("false")
        boolean enabled();

        /** PKCS#12 or JKS truststore with the cluster's CA; the JDK's default truststore when absent. */
        Optional<String> truststore();

        Optional<String> truststorePassword();
    }
}
