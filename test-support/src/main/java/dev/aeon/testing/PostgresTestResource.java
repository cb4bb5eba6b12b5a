package dev.aeon.testing;

import dev.aeon.embedded.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points a Quarkus test application at the JVM's shared real PostgreSQL. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        PostgresServer postgres = SharedServers.postgres();
        return Map.of(
                "aeon.postgres.host", "127.0.0.1",
                "aeon.postgres.port", String.valueOf(postgres.port()),
                "aeon.postgres.database", postgres.database(),
                "aeon.postgres.username", PostgresServer.USER,
                "aeon.postgres.password", "");
    }

    @Override
    public void stop() {
        // Shared by every boot in this JVM; stopped by SharedServers when the JVM exits.
    }
}
