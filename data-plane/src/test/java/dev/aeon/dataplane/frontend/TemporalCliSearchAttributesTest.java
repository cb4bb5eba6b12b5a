package dev.aeon.dataplane.frontend;

import dev.aeon.dataplane.TestPorts;
import dev.aeon.dataplane.TestTenant;
import dev.aeon.testing.StandInControlPlaneResource;
import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real {@code temporal} CLI's {@code operator search-attribute} commands against the data plane with an API key
 * (installed with {@code go install github.com/temporalio/cli/cmd/temporal@v1.5.1}; skipped, saying so, where it is
 * not on the PATH or in ~/go/bin): what a tenant types, not only what the stubs send.
 */
@QuarkusTest
class TemporalCliSearchAttributesTest {

    @Test
    void createListAndRefuseAsTheCliShowsThem() throws Exception {
        Path cli = cli();
        Assumptions.assumeTrue(cli != null, "the temporal CLI is not installed; skipping");
        StandInControlPlaneResource.controlPlane().provisionsTo(URI.create(TestHTTPResourceManager.getUri()));
        String namespace = TestTenant.namespace("cli-" + UUID.randomUUID().toString().substring(0, 8));
        TestTenant.provision(namespace, Map.of("CustomerId", "Keyword"));

        Result created = run(cli, namespace, "operator", "search-attribute", "create", "--name", "Amount",
                "--type", "Int");
        assertEquals(0, created.exit(), created.output());
        Result listed = run(cli, namespace, "operator", "search-attribute", "list", "--output", "json");
        assertEquals(0, listed.exit(), listed.output());
        assertTrue(listed.output().contains("\"Amount\"") && listed.output().contains("\"CustomerId\"")
                && listed.output().contains("\"WorkflowId\""), listed.output());

        Result reserved = run(cli, namespace, "operator", "search-attribute", "create", "--name", "WorkflowId",
                "--type", "Keyword");
        assertEquals(1, reserved.exit(), reserved.output());
        assertTrue(reserved.output().contains("Search attribute WorkflowId is reserved by system."), reserved.output());
    }

    record Result(int exit, String output) {
    }

    static Result run(Path cli, String namespace, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(cli.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--address", "127.0.0.1:" + TestPorts.FRONTEND, "--namespace", namespace,
                "--api-key", TestTenant.apiKey(), "--tls=false", "--command-timeout", "30s"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the temporal CLI did not finish: " + command.subList(0, 4));
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
    }

    static Path cli() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "temporal"));
            }
        }
        candidates.add(Path.of(System.getProperty("user.home"), "go", "bin", "temporal"));
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }
}
