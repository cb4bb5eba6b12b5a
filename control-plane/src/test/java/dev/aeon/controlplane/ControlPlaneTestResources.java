package dev.aeon.controlplane;

import dev.aeon.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * Every @QuarkusTest of the control plane runs against the test JVM's one real PostgreSQL and one recording data
 * plane; the same resources for every class, so all classes share one Quarkus boot.
 */
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RecordingDataPlane.class)
public final class ControlPlaneTestResources {

    private ControlPlaneTestResources() {
    }
}
