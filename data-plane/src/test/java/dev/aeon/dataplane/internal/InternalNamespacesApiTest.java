package dev.aeon.dataplane.internal;

import dev.aeon.dataplane.TestTenant;
import dev.aeon.testing.StandInControlPlane;
import dev.aeon.dataplane.TestPorts;
import dev.aeon.auth.InternalToken;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import dev.aeon.auth.mtls.CertificateFilter;
import dev.aeon.auth.mtls.MtlsSettings;
import dev.aeon.dataplane.namespace.NamespaceSettings;
import dev.aeon.dataplane.namespace.NamespaceStore;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The control plane's side door: provisioning namespaces over HTTP, seen through Temporal's gRPC API. */
@QuarkusTest
class InternalNamespacesApiTest {

    private static final String TOKEN = StandInControlPlane.INTERNAL_TOKEN;

    @Inject
    NamespaceRegistry registry;
    @Inject
    NamespaceStore store;

    private ManagedChannel channel;
    private WorkflowServiceGrpc.WorkflowServiceBlockingStub api;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", TestPorts.FRONTEND).usePlaintext().build();
        api = TestTenant.asOwnerOf("acct1", WorkflowServiceGrpc.newBlockingStub(channel));
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static RequestSpecification internal() {
        return given().header(InternalToken.HEADER, TOKEN).contentType(ContentType.JSON);
    }

    private static Map<String, Object> settings(String account, int retentionDays) {
        return Map.of("accountId", account, "retentionDays", retentionDays, "apiKeyAuthEnabled", true,
                "mtls", Map.of("enabled", false), "searchAttributes", Map.of("CustomerId", "Keyword"));
    }

    private DescribeNamespaceResponse describe(String name) {
        return api.describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(name).build());
    }

    @Test
    void withoutTheInternalTokenNothingIsProvisioned() {
        String name = "orders-" + UUID.randomUUID().toString().substring(0, 6) + ".acct1";
        given().contentType(ContentType.JSON).body(settings("acct1", 3))
                .put("/internal/v1/namespaces/" + name)
                .then().statusCode(401).body("message", containsString("X-Aeon-Internal-Token"));
        given().header(InternalToken.HEADER, "wrong").get("/internal/v1/namespaces/" + name)
                .then().statusCode(401);
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> describe(name))
                .getStatus().getCode());
    }

    @Test
    void aProvisionedNamespaceIsUsableUpdatedIdempotentlyAndRemoved() {
        String name = "orders-" + UUID.randomUUID().toString().substring(0, 6) + ".acct1";

        internal().body(settings("acct1", 3)).put("/internal/v1/namespaces/" + name)
                .then().statusCode(200).body("accountId", equalTo("acct1"));
        assertEquals(3 * 86400, describe(name).getConfig().getWorkflowExecutionRetentionTtl().getSeconds());
        String id = describe(name).getNamespaceInfo().getId();

        // the same call again changes nothing; a new retention is applied in place
        internal().body(settings("acct1", 3)).put("/internal/v1/namespaces/" + name).then().statusCode(200);
        internal().body(settings("acct1", 30)).put("/internal/v1/namespaces/" + name).then().statusCode(200);
        assertEquals(id, describe(name).getNamespaceInfo().getId());
        assertEquals(30 * 86400, describe(name).getConfig().getWorkflowExecutionRetentionTtl().getSeconds());
        internal().get("/internal/v1/namespaces/" + name).then().statusCode(200)
                .body("retentionDays", equalTo(30)).body("searchAttributes.CustomerId", equalTo("Keyword"));

        internal().delete("/internal/v1/namespaces/" + name).then().statusCode(200).body("deleted", equalTo(true));
        internal().delete("/internal/v1/namespaces/" + name).then().statusCode(200).body("deleted", equalTo(false));
        internal().get("/internal/v1/namespaces/" + name).then().statusCode(404);
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> describe(name))
                .getStatus().getCode());
    }

    @Test
    void badSettingsAreRejectedNamingTheField() {
        String name = "bad-" + UUID.randomUUID().toString().substring(0, 6) + ".acct1";
        internal().body(settings("acct2", 3)).put("/internal/v1/namespaces/" + name)
                .then().statusCode(400).body("message", containsString("namespace: must be <name>.acct2"));
        internal().body(settings("acct1", 0)).put("/internal/v1/namespaces/" + name)
                .then().statusCode(400).body("message", containsString("retentionDays"));
        internal().body(Map.of("accountId", "acct1", "retentionDays", 1, "apiKeyAuthEnabled", false,
                        "mtls", Map.of("enabled", true))).put("/internal/v1/namespaces/" + name)
                .then().statusCode(400).body("message", containsString("mtls.acceptedClientCa"));
        internal().get("/internal/v1/namespaces/" + name).then().statusCode(404);
    }

    @Test
    void accountIdsAreLabelsAndOwnershipIsExact() {
        String label = "own-" + UUID.randomUUID().toString().substring(0, 6);
        internal().body(settings("b.evil", 3)).put("/internal/v1/namespaces/" + label + ".b.evil")
                .then().statusCode(400).body("message", containsString("accountId: must be"));
        // a suffix match would give account "evil" the namespace "<label>.b.evil"
        internal().body(settings("evil", 3)).put("/internal/v1/namespaces/" + label + ".b.evil")
                .then().statusCode(400).body("message", containsString("namespace: must be <name>.evil"));
        internal().get("/internal/v1/namespaces/" + label + ".b.evil").then().statusCode(404);
    }

    @Test
    void aChangeWrittenByAnotherNodeIsSeenWithinTheRefreshInterval() throws InterruptedException {
        String name = "shared-" + UUID.randomUUID().toString().substring(0, 6) + ".acct1";
        internal().body(settings("acct1", 3)).put("/internal/v1/namespaces/" + name).then().statusCode(200);
        Namespace cached = registry.namespace(name);

        // another node disables API keys on it, writing straight to the shared store
        NamespaceSettings changed = new NamespaceSettings("acct1", 3, false,
                new MtlsSettings(true, "-----BEGIN CERTIFICATE-----\n", List.of()), Map.of(), false);
        store.update(new Namespace(cached.description(), changed, cached.version()));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (registry.namespace(name).settings().apiKeyAuthEnabled() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(changed, registry.namespace(name).settings());
    }
}
