package dev.aeon.testing;

import dev.aeon.embedded.CassandraServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points a Quarkus test application at the JVM's shared real Cassandra. */
public class CassandraTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        CassandraServer cassandra = SharedServers.cassandra();
        return Map.of(
                "aeon.cassandra.contact-points", "127.0.0.1:" + cassandra.contactPoint().getPort(),
                "aeon.cassandra.local-datacenter", cassandra.localDatacenter());
    }

    @Override
    public void stop() {
        // Shared by every boot in this JVM; stopped by SharedServers when the JVM exits.
    }
}
