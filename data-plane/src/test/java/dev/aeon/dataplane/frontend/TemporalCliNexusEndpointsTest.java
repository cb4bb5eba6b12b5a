package dev.aeon.dataplane.frontend;

import dev.aeon.dataplane.TestTenant;
import dev.aeon.testing.StandInControlPlaneResource;
import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.UUID;

import static dev.aeon.dataplane.frontend.TemporalCliSearchAttributesTest.cli;
import static dev.aeon.dataplane.frontend.TemporalCliSearchAttributesTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real {@code temporal operator nexus endpoint} commands against the data plane with an API key, as on Temporal
 * OSS (skipped, saying so, where the CLI is not installed).
 */
@QuarkusTest
class TemporalCliNexusEndpointsTest {

    @Test
    void createListDescribeUpdateAndDelete() throws Exception {
        Path cli = cli();
        Assumptions.assumeTrue(cli != null, "the temporal CLI is not installed; skipping");
        StandInControlPlaneResource.controlPlane().provisionsTo(URI.create(TestHTTPResourceManager.getUri()));
        String namespace = TestTenant.namespace("cli-nexus-" + UUID.randomUUID().toString().substring(0, 8));
        TestTenant.provision(namespace);
        String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);

        var created = run(cli, namespace, "operator", "nexus", "endpoint", "create", "--name", name,
                "--target-namespace", namespace, "--target-task-queue", "handlers", "--description", "payments");
        assertEquals(0, created.exit(), created.output());
        var described = run(cli, namespace, "operator", "nexus", "endpoint", "get", "--name", name, "--output", "json");
        assertEquals(0, described.exit(), described.output());
        assertTrue(described.output().contains("\"handlers\"") && described.output().contains(namespace),
                described.output());
        var listed = run(cli, namespace, "operator", "nexus", "endpoint", "list", "--output", "json");
        assertTrue(listed.output().contains(name), listed.output());
        var updated = run(cli, namespace, "operator", "nexus", "endpoint", "update", "--name", name,
                "--target-task-queue", "handlers-v2");
        assertEquals(0, updated.exit(), updated.output());
        assertTrue(run(cli, namespace, "operator", "nexus", "endpoint", "get", "--name", name, "--output", "json")
                .output().contains("handlers-v2"));
        var deleted = run(cli, namespace, "operator", "nexus", "endpoint", "delete", "--name", name);
        assertEquals(0, deleted.exit(), deleted.output());
        var gone = run(cli, namespace, "operator", "nexus", "endpoint", "get", "--name", name);
        assertEquals(1, gone.exit(), gone.output());
    }
}
