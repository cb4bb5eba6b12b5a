package dev.aeon.dataplane;

import dev.aeon.testing.CassandraTestResource;
import io.quarkus.test.common.QuarkusTestResource;

/** Every @QuarkusTest of the data plane runs against the test JVM's one real Cassandra. */
@QuarkusTestResource(CassandraTestResource.class)
public final class DataPlaneTestResources {

    private DataPlaneTestResources() {
    }
}
