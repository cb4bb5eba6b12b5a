package dev.aeon.controlplane;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.aeon.controlplane.CloudApi.as;
import static dev.aeon.controlplane.CloudApi.awaitOperation;
import static dev.aeon.controlplane.CloudApi.createNamespace;
import static dev.aeon.controlplane.CloudApi.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real {@code tcld nexus endpoint ...} commands of Temporal's Nexus guide against the control plane's gRPC
 * CloudService, with an API key over plaintext ({@code --insecure}). tcld comes from the Go module proxy at the
 * version the brief names, installed into target/bin as e2e installs the temporal CLI; skipped, saying so, without Go.
 * After each command the endpoint is read back through the REST face and from what reached the data plane (the
 * recording stand-in), so what tcld sent is what the control plane holds and routes by.
 */
@QuarkusTest
class TcldNexusEndpointsTest {

    private static final String TCLD = "github.com/temporalio/tcld/cmd/tcld@v0.55.0";
    private static Path tcld;

    @BeforeAll
    static void install() throws Exception {
        Path bin = Path.of("target/bin").toAbsolutePath();
        Assumptions.assumeTrue(goWorks(), "Go is not installed: the tcld check is skipped");
        ProcessBuilder install = new ProcessBuilder("go", "install", TCLD).redirectErrorStream(true)
                .redirectOutput(Path.of("target/tcld-install.log").toFile());
        install.environment().put("GOBIN", bin.toString());
        Process installing = install.start();
        assertTrue(installing.waitFor(10, TimeUnit.MINUTES) && installing.exitValue() == 0,
                "go install " + TCLD + " failed; see target/tcld-install.log");
        tcld = bin.resolve("tcld");
    }

    @Test
    void theGuidesCommandsCreateListChangeCallersAndDelete() throws Exception {
        String owner = CloudApi.newAccount("tcld");
        String target = createNamespace(owner, "handler-" + unique());
        String caller = createNamespace(owner, "caller-" + unique());
        String second = createNamespace(owner, "second-" + unique());
        assertTrue(caller.endsWith("." + CloudApi.accountOf(owner)), "namespace ids are name.account: " + caller);
        String name = "payments_" + unique();

        Result created = tcld(owner, "nexus", "endpoint", "create", "--name", name, "--target-namespace", target,
                "--target-task-queue", "handlers", "--allow-namespace", caller, "--description", "Pays invoices");
        assertEquals(0, created.exit(), created.output());
        JsonPath answer = JsonPath.from(created.output());
        String id = answer.getString("endpointId");
        assertFulfilled(owner, answer.getString("asyncOperation.id"));
        JsonPath endpoint = endpoint(owner, id);
        assertEquals(name, endpoint.getString("spec.name"));
        assertEquals(target, endpoint.getString("spec.targetSpec.workerTargetSpec.namespaceId"));
        assertEquals("handlers", endpoint.getString("spec.targetSpec.workerTargetSpec.taskQueue"));
        assertEquals(List.of(caller), callers(endpoint));
        assertEquals(List.of(caller), provisionedCallers(id));
        assertEquals("\"Pays invoices\"", new String(Base64.getDecoder().decode(
                endpoint.getString("spec.description.data")), StandardCharsets.UTF_8));

        Result got = tcld(owner, "nexus", "endpoint", "get", "--name", name);
        assertEquals(0, got.exit(), got.output());
        assertEquals(id, JsonPath.from(got.output()).getString("id"));
        Result listed = tcld(owner, "nexus", "endpoint", "list");
        assertEquals(0, listed.exit(), listed.output());
        assertEquals(List.of(name), JsonPath.from(listed.output()).getList("spec.name"));

        Result updated = tcld(owner, "nexus", "endpoint", "update", "--name", name, "--target-task-queue",
                "handlers-v2", "--description", "Pays and refunds invoices");
        assertEquals(0, updated.exit(), updated.output());
        assertFulfilled(owner, JsonPath.from(updated.output()).getString("id"));
        endpoint = endpoint(owner, id);
        assertEquals("handlers-v2", endpoint.getString("spec.targetSpec.workerTargetSpec.taskQueue"));
        assertEquals(List.of(caller), callers(endpoint), "an update keeps the callers");
        assertEquals("handlers-v2", provisioned(id).get("targetTaskQueue"));

        Result added = tcld(owner, "nexus", "endpoint", "allowed-namespace", "add", "--name", name,
                "--namespace", second);
        assertEquals(0, added.exit(), added.output());
        assertFulfilled(owner, JsonPath.from(added.output()).getString("id"));
        assertEquals(List.of(caller, second), callers(endpoint(owner, id)));
        assertEquals(List.of(caller, second), provisionedCallers(id));
        Result allowed = tcld(owner, "nexus", "endpoint", "allowed-namespace", "list", "--name", name);
        assertEquals(0, allowed.exit(), allowed.output());
        assertEquals(List.of(caller, second), JsonPath.from(allowed.output()).getList("$"));

        Result removed = tcld(owner, "nexus", "endpoint", "allowed-namespace", "remove", "--name", name,
                "--namespace", caller);
        assertEquals(0, removed.exit(), removed.output());
        assertFulfilled(owner, JsonPath.from(removed.output()).getString("id"));
        assertEquals(List.of(second), callers(endpoint(owner, id)));
        assertEquals(List.of(second), provisionedCallers(id));

        Result set = tcld(owner, "nexus", "endpoint", "allowed-namespace", "set", "--name", name,
                "--namespace", caller, "--namespace", target);
        assertEquals(0, set.exit(), set.output());
        assertFulfilled(owner, JsonPath.from(set.output()).getString("id"));
        assertEquals(List.of(caller, target), callers(endpoint(owner, id)));
        assertEquals(List.of(caller, target), provisionedCallers(id));

        Result deleted = tcld(owner, "nexus", "endpoint", "delete", "--name", name);
        assertEquals(0, deleted.exit(), deleted.output());
        assertFulfilled(owner, JsonPath.from(deleted.output()).getString("id"));
        as(owner).get("/cloud/nexus/endpoints/" + id).then().statusCode(404);
        assertEquals(1, RecordingDataPlane.calls("DELETE", "/internal/v1/nexus-endpoints/" + id).size());
        Result gone = tcld(owner, "nexus", "endpoint", "get", "--name", name);
        assertNotEquals(0, gone.exit(), gone.output());
        assertTrue(gone.output().contains("endpoint not found"), gone.output());
    }

    /** As in Temporal Cloud, an endpoint created without {@code --allow-namespace} lets no namespace call it. */
    @Test
    void withoutAllowNamespaceNoCallerIsAllowed() throws Exception {
        String owner = CloudApi.newAccount("tcldnone");
        String target = createNamespace(owner, "handler-" + unique());
        Result created = tcld(owner, "nexus", "endpoint", "create", "--name", "closed_" + unique(),
                "--target-namespace", target, "--target-task-queue", "handlers");
        assertEquals(0, created.exit(), created.output());
        JsonPath answer = JsonPath.from(created.output());
        assertFulfilled(owner, answer.getString("asyncOperation.id"));
        assertEquals(List.of(), callers(endpoint(owner, answer.getString("endpointId"))));
        assertEquals(List.of(), provisionedCallers(answer.getString("endpointId")));
    }

    /** A caller that is not a namespace of the account is refused, naming the field; nothing is created. */
    @Test
    void anUnknownCallerNamespaceIsRefused() throws Exception {
        String owner = CloudApi.newAccount("tcldbad");
        String target = createNamespace(owner, "handler-" + unique());
        String other = createNamespace(CloudApi.newAccount("tcldother"), "caller-" + unique());
        String name = "refused_" + unique();
        Result refused = tcld(owner, "nexus", "endpoint", "create", "--name", name, "--target-namespace", target,
                "--target-task-queue", "handlers", "--allow-namespace", other);
        assertNotEquals(0, refused.exit(), refused.output());
        assertTrue(refused.output().contains("InvalidArgument")
                && refused.output().contains("allowed_cloud_namespace_policy_spec.namespace_id"), refused.output());
        Result listed = tcld(owner, "nexus", "endpoint", "list");
        assertEquals(0, listed.exit(), listed.output());
        assertEquals(List.of(), JsonPath.from(listed.output()).getList("$"));
    }

    private static void assertFulfilled(String owner, String operationId) {
        assertEquals("STATE_FULFILLED", awaitOperation(owner, operationId).getString("asyncOperation.state"));
    }

    private static JsonPath endpoint(String owner, String id) {
        return JsonPath.from(as(owner).get("/cloud/nexus/endpoints/" + id).then().statusCode(200).extract().asString())
                .setRootPath("endpoint");
    }

    private static List<String> callers(JsonPath endpoint) {
        List<String> ids = endpoint.getList("spec.policySpecs.allowedCloudNamespacePolicySpec.namespaceId");
        return ids == null ? List.of() : ids;
    }

    /** The endpoint as last provisioned on the data plane. */
    private static Map<?, ?> provisioned(String id) {
        return (Map<?, ?>) RecordingDataPlane.lastCall("PUT", "/internal/v1/nexus-endpoints/" + id).get("body");
    }

    private static List<?> provisionedCallers(String id) {
        return (List<?>) provisioned(id).get("allowedCallerNamespaces");
    }

    record Result(int exit, String output) {
    }

    /**
     * tcld as the guide runs it, pointed at this control plane: {@code --server}, {@code --api-key}, {@code --insecure}.
     * tcld parses the address as a URL, so {@code host:port} must start with a name: {@code 127.0.0.1:port} fails.
     */
    private static Result tcld(String apiKey, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(tcld.toString(), "--server", "localhost:" + RestAssured.port,
                "--insecure", "--api-key", apiKey));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("tcld did not finish: " + String.join(" ", args));
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
    }

    private static boolean goWorks() {
        try {
            Process go = new ProcessBuilder("go", "version").redirectErrorStream(true).start();
            go.getInputStream().readAllBytes();
            return go.waitFor(30, TimeUnit.SECONDS) && go.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
