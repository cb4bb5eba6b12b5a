package dev.aeon.controlplane;

import dev.aeon.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;

/** Every @QuarkusTest of the control plane runs against the test JVM's one real PostgreSQL. */
@QuarkusTestResource(PostgresTestResource.class)
public final class ControlPlaneTestResources {

    private ControlPlaneTestResources() {
    }
}
