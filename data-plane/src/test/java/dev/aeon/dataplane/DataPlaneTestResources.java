package dev.aeon.dataplane;

import dev.aeon.testing.CassandraTestResource;
import dev.aeon.testing.PostgresTestResource;
import dev.aeon.testing.StandInControlPlaneResource;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * Every @QuarkusTest of the data plane runs against the test JVM's one real Cassandra (and its one real PostgreSQL
 * for visibility), with authentication on as in production: API keys are verified against a control plane stand-in ({@link TestTenant} holds one).
 */
@QuarkusTestResource(CassandraTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(StandInControlPlaneResource.class)
public final class DataPlaneTestResources {

    private DataPlaneTestResources() {
    }
}
