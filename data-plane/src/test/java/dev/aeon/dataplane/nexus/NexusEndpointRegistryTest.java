package dev.aeon.dataplane.nexus;

import dev.aeon.auth.InternalToken;
import dev.aeon.dataplane.TestPorts;
import dev.aeon.dataplane.TestTenant;
import dev.aeon.testing.StandInControlPlane;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.temporal.api.nexus.v1.Endpoint;
import io.temporal.api.nexus.v1.EndpointSpec;
import io.temporal.api.nexus.v1.EndpointTarget;
import io.temporal.api.operatorservice.v1.CreateNexusEndpointRequest;
import io.temporal.api.operatorservice.v1.GetNexusEndpointRequest;
import io.temporal.api.operatorservice.v1.ListNexusEndpointsRequest;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Nexus endpoint registry: provisioned by the control plane over the internal API, stored in Cassandra, seen by
 * every node within the refresh interval, read through OperatorService as Temporal serves it.
 */
@QuarkusTest
class NexusEndpointRegistryTest {

    @Inject
    NexusEndpoints registry;
    @Inject
    NexusEndpointStore store;

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", TestPorts.FRONTEND).usePlaintext().build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static RequestSpecification internal() {
        return given().header(InternalToken.HEADER, StandInControlPlane.INTERNAL_TOKEN).contentType(ContentType.JSON);
    }

    static Map<String, Object> spec(String account, String name, String target, String taskQueue,
                                    List<String> callers) {
        return Map.of("accountId", account, "name", name, "targetNamespace", target, "targetTaskQueue", taskQueue,
                "allowedCallerNamespaces", callers);
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    @Test
    void provisioningCreatesUpdatesIdempotentlyAndDeletes() {
        String id = UUID.randomUUID().toString().replace("-", "");
        String name = unique("orders_");
        Map<String, Object> spec = spec("acct1", name, "orders.acct1", "handlers", List.of("shop.acct1"));

        internal().body(spec).put("/internal/v1/nexus-endpoints/" + id).then().statusCode(200)
                .body("version", equalTo(1)).body("spec.name", equalTo(name))
                .body("urlPrefix", equalTo("/nexus/endpoints/" + id + "/services"));
        // the control plane retries: the same spec again changes nothing, not even the version
        internal().body(spec).put("/internal/v1/nexus-endpoints/" + id).then().statusCode(200)
                .body("version", equalTo(1));
        internal().body(spec("acct1", name, "orders.acct1", "handlers-v2", List.of()))
                .put("/internal/v1/nexus-endpoints/" + id).then().statusCode(200).body("version", equalTo(2));
        internal().get("/internal/v1/nexus-endpoints/" + id).then().statusCode(200)
                .body("spec.targetTaskQueue", equalTo("handlers-v2"));
        assertEquals(List.of(), registry.byId(id).orElseThrow().spec().allowedCallerNamespaces());
        assertEquals(id, registry.byName("acct1", name).orElseThrow().id());

        internal().delete("/internal/v1/nexus-endpoints/" + id).then().statusCode(200).body("deleted", equalTo(true));
        internal().delete("/internal/v1/nexus-endpoints/" + id).then().statusCode(200).body("deleted", equalTo(false));
        internal().get("/internal/v1/nexus-endpoints/" + id).then().statusCode(404);
        assertTrue(registry.byId(id).isEmpty());
    }

    @Test
    void badSpecsAreRejectedNamingTheField() {
        String id = unique("e");
        internal().put("/internal/v1/nexus-endpoints/" + id).then().statusCode(400);
        internal().body(spec("acct1", "1bad", "orders.acct1", "q", List.of())).put("/internal/v1/nexus-endpoints/" + id)
                .then().statusCode(400).body("message", containsString("name: must be"));
        internal().body(spec("acct1", "ok", "orders.acct2", "q", List.of())).put("/internal/v1/nexus-endpoints/" + id)
                .then().statusCode(400).body("message", containsString("targetNamespace: must be a namespace of account acct1"));
        internal().body(spec("acct1", "ok", "orders.acct1", "", List.of())).put("/internal/v1/nexus-endpoints/" + id)
                .then().statusCode(400).body("message", containsString("targetTaskQueue"));
        internal().body(spec("acct1", "ok", "orders.acct1", "q", List.of("shop.acct2")))
                .put("/internal/v1/nexus-endpoints/" + id)
                .then().statusCode(400).body("message", containsString("allowedCallerNamespaces[0]"));
        internal().get("/internal/v1/nexus-endpoints/" + id).then().statusCode(404);
        // without the internal token nothing is provisioned
        given().contentType(ContentType.JSON).body(spec("acct1", "ok", "orders.acct1", "q", List.of()))
                .put("/internal/v1/nexus-endpoints/" + id).then().statusCode(401);
    }

    @Test
    void aNameIsTheAccountsOnce() {
        String name = unique("pay_");
        String first = unique("e");
        internal().body(spec("acct1", name, "orders.acct1", "q", List.of())).put("/internal/v1/nexus-endpoints/" + first)
                .then().statusCode(200);
        internal().body(spec("acct1", name, "orders.acct1", "q", List.of()))
                .put("/internal/v1/nexus-endpoints/" + unique("e"))
                .then().statusCode(409).body("message", containsString("already named " + name));
        // another account may use the same name
        internal().body(spec("acct2", name, "orders.acct2", "q", List.of()))
                .put("/internal/v1/nexus-endpoints/" + unique("e")).then().statusCode(200);
    }

    @Test
    void aChangeWrittenByAnotherNodeIsSeenWithinTwoSeconds() throws InterruptedException {
        String id = unique("e");
        NexusEndpointSpec spec = new NexusEndpointSpec("acct1", unique("elsewhere_"), "orders.acct1", "q", List.of(),
                null);
        Instant now = Instant.now();
        // another node's write: straight to the store, past this node's registry
        assertTrue(store.put(new NexusEndpoint(id, 1, spec, now, now), 0));
        long start = System.nanoTime();
        while (registry.byId(id).isEmpty() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2)) {
            Thread.sleep(50);
        }
        assertTrue(registry.byId(id).isPresent(), "not seen within 2 s");
        assertTrue(store.delete(id));
        start = System.nanoTime();
        while (registry.byId(id).isPresent() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2)) {
            Thread.sleep(50);
        }
        assertFalse(registry.byId(id).isPresent(), "deletion not seen within 2 s");
    }

    @Test
    void operatorServiceReadsTheRegistryForAdminsOfTheTarget() {
        String id = UUID.randomUUID().toString().replace("-", "");
        String name = unique("ops_");
        String target = TestTenant.namespace("handlers");
        internal().body(spec(TestTenant.ACCOUNT, name, target, "nexus-q", List.of(TestTenant.namespace("callers"))))
                .put("/internal/v1/nexus-endpoints/" + id).then().statusCode(200);
        var owner = TestTenant.asOwnerOf(TestTenant.ACCOUNT, OperatorServiceGrpc.newBlockingStub(channel));

        Endpoint endpoint = owner.getNexusEndpoint(GetNexusEndpointRequest.newBuilder().setId(id).build()).getEndpoint();
        assertEquals(EndpointSpec.newBuilder().setName(name).setTarget(EndpointTarget.newBuilder()
                .setWorker(EndpointTarget.Worker.newBuilder().setNamespace(target).setTaskQueue("nexus-q"))).build(),
                endpoint.getSpec());
        assertEquals(1, endpoint.getVersion());
        assertEquals("/nexus/endpoints/" + id + "/services", endpoint.getUrlPrefix());
        assertTrue(endpoint.hasCreatedTime() && endpoint.hasLastModifiedTime());

        List<Endpoint> listed = owner.listNexusEndpoints(ListNexusEndpointsRequest.newBuilder().setName(name).build())
                .getEndpointsList();
        assertEquals(List.of(id), listed.stream().map(Endpoint::getId).toList());
        assertTrue(owner.listNexusEndpoints(ListNexusEndpointsRequest.getDefaultInstance()).getEndpointsList()
                .stream().anyMatch(e -> e.getId().equals(id)));

        // another account's owner sees nothing of it
        var stranger = TestTenant.asOwnerOf("strangers", OperatorServiceGrpc.newBlockingStub(channel));
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                () -> stranger.getNexusEndpoint(GetNexusEndpointRequest.newBuilder().setId(id).build()))
                .getStatus().getCode());
        assertTrue(stranger.listNexusEndpoints(ListNexusEndpointsRequest.getDefaultInstance()).getEndpointsList()
                .stream().noneMatch(e -> e.getId().equals(id)));
    }

    /** OperatorService's changes go to the control plane (the stand-in here) and are answered once provisioned back. */
    @Test
    void operatorServiceChangesGoThroughTheControlPlane() {
        dev.aeon.testing.StandInControlPlaneResource.controlPlane()
                .provisionsTo(java.net.URI.create(io.quarkus.test.common.http.TestHTTPResourceManager.getUri()));
        var owner = TestTenant.asOwnerOf(TestTenant.ACCOUNT, OperatorServiceGrpc.newBlockingStub(channel));
        String name = unique("made-");
        EndpointSpec spec = EndpointSpec.newBuilder().setName(name).setTarget(EndpointTarget.newBuilder()
                .setWorker(EndpointTarget.Worker.newBuilder().setNamespace(TestTenant.namespace("handlers"))
                        .setTaskQueue("q1"))).build();

        Endpoint created = owner.createNexusEndpoint(CreateNexusEndpointRequest.newBuilder().setSpec(spec).build())
                .getEndpoint();
        assertEquals(spec, created.getSpec());
        assertEquals(1, created.getVersion());
        assertEquals(List.of(), registry.byId(created.getId()).orElseThrow().spec().allowedCallerNamespaces());

        EndpointSpec moved = spec.toBuilder().setTarget(EndpointTarget.newBuilder().setWorker(EndpointTarget.Worker
                .newBuilder().setNamespace(TestTenant.namespace("handlers")).setTaskQueue("q2"))).build();
        Endpoint updated = owner.updateNexusEndpoint(io.temporal.api.operatorservice.v1.UpdateNexusEndpointRequest
                .newBuilder().setId(created.getId()).setVersion(1).setSpec(moved).build()).getEndpoint();
        assertEquals(2, updated.getVersion());
        assertEquals("q2", updated.getSpec().getTarget().getWorker().getTaskQueue());
        StatusRuntimeException stale = assertThrows(StatusRuntimeException.class, () -> owner.updateNexusEndpoint(
                io.temporal.api.operatorservice.v1.UpdateNexusEndpointRequest.newBuilder().setId(created.getId())
                        .setVersion(1).setSpec(spec).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, stale.getStatus().getCode());
        assertEquals("nexus endpoint version mismatch. received: 1 expected 2", stale.getStatus().getDescription());

        // another account cannot target this account's namespaces, nor see the endpoint to change it
        var stranger = TestTenant.asOwnerOf("strangers", OperatorServiceGrpc.newBlockingStub(channel));
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> stranger
                .createNexusEndpoint(CreateNexusEndpointRequest.newBuilder().setSpec(spec.toBuilder().setName(
                        unique("theirs-"))).build())).getStatus().getCode());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> stranger
                .deleteNexusEndpoint(io.temporal.api.operatorservice.v1.DeleteNexusEndpointRequest.newBuilder()
                        .setId(created.getId()).setVersion(2).build())).getStatus().getCode());
        // Aeon routes to its workers only
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class, () -> owner
                .createNexusEndpoint(CreateNexusEndpointRequest.newBuilder().setSpec(EndpointSpec.newBuilder()
                        .setName(unique("ext-")).setTarget(EndpointTarget.newBuilder().setExternal(
                                EndpointTarget.External.newBuilder().setUrl("https://example.com")))).build()))
                .getStatus().getCode());

        owner.deleteNexusEndpoint(io.temporal.api.operatorservice.v1.DeleteNexusEndpointRequest.newBuilder()
                .setId(created.getId()).setVersion(2).build());
        assertTrue(registry.byId(created.getId()).isEmpty());
    }
}
