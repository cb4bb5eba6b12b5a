package dev.aeon.controlplane;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.aeon.controlplane.CloudApi.as;
import static dev.aeon.controlplane.CloudApi.awaitOperation;
import static dev.aeon.controlplane.CloudApi.createNamespace;
import static dev.aeon.controlplane.CloudApi.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nexus endpoints are provisioned on the data plane as namespaces are: each change's operation ends FULFILLED only
 * once the data plane (the recording stand-in) applied it, and waits out an outage.
 */
@QuarkusTest
class NexusEndpointProvisioningTest {

    @ConfigProperty(name = "aeon.control-plane.data-plane-url")
    String dataPlane;

    private static String spec(String target, String taskQueue, String caller) {
        return "{\"name\":\"pay_" + unique() + "\",\"targetSpec\":{\"workerTargetSpec\":{\"namespaceId\":\"" + target
                + "\",\"taskQueue\":\"" + taskQueue + "\"}},\"policySpecs\":[{\"allowedCloudNamespacePolicySpec\":"
                + "{\"namespaceId\":\"" + caller + "\"}}]}";
    }

    @Test
    void createUpdateAndDeleteReachTheDataPlaneBeforeTheirOperationsEnd() throws InterruptedException {
        String owner = CloudApi.newAccount("nexusprov");
        String account = CloudApi.accountOf(owner);
        String target = createNamespace(owner, "handler-" + unique());
        String caller = createNamespace(owner, "caller-" + unique());
        String spec = spec(target, "nexus-q", caller);

        JsonPath created = as(owner).body("{\"spec\":" + spec + "}").post("/cloud/nexus/endpoints").then()
                .statusCode(200).extract().jsonPath();
        String id = created.getString("endpointId");
        assertEquals("STATE_FULFILLED", awaitOperation(owner, created.getString("asyncOperation.id"))
                .getString("asyncOperation.state"));
        Map<String, Object> put = lastCall("PUT", id);
        assertEquals(RecordingDataPlane.INTERNAL_TOKEN, put.get("token"));
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) put.get("body");
        assertEquals(account, body.get("accountId"));
        assertEquals(target, body.get("targetNamespace"));
        assertEquals("nexus-q", body.get("targetTaskQueue"));
        assertEquals(List.of(caller), body.get("allowedCallerNamespaces"));

        // while the data plane is down the update waits, retried; it ends once the data plane has it
        given().baseUri(dataPlane).put("/_test/outages/" + id).then().statusCode(200);
        String updateOp = as(owner).body("{\"spec\":" + spec.replace("nexus-q", "nexus-q2")
                        + ",\"resourceVersion\":\"1\"}").post("/cloud/nexus/endpoints/" + id).then().statusCode(200)
                .extract().path("asyncOperation.id");
        int before = calls("PUT", id).size();
        for (int i = 0; i < 200 && calls("PUT", id).size() < before + 3; i++) {
            Thread.sleep(50);
        }
        assertTrue(calls("PUT", id).size() >= before + 3, "retried while the data plane is down");
        as(owner).get("/cloud/operations/" + updateOp).then().statusCode(200)
                .body("asyncOperation.state", equalTo("STATE_IN_PROGRESS"));
        given().baseUri(dataPlane).delete("/_test/outages/" + id).then().statusCode(200);
        assertEquals("STATE_FULFILLED", awaitOperation(owner, updateOp).getString("asyncOperation.state"));
        @SuppressWarnings("unchecked")
        Map<String, Object> updated = (Map<String, Object>) lastCall("PUT", id).get("body");
        assertEquals("nexus-q2", updated.get("targetTaskQueue"));

        String deleteOp = as(owner).delete("/cloud/nexus/endpoints/" + id + "?resourceVersion=2").then()
                .statusCode(200).extract().path("asyncOperation.id");
        assertEquals("STATE_FULFILLED", awaitOperation(owner, deleteOp).getString("asyncOperation.state"));
        assertEquals(1, calls("DELETE", id).size());
        as(owner).get("/cloud/nexus/endpoints/" + id).then().statusCode(404);
    }

    /** OperatorService's changes, forwarded by the data plane: the same operations, audit-logged as the caller's. */
    @Test
    void operatorServiceChangesFromTheDataPlaneAreProvisionedAndKeepTheCallers() {
        String owner = CloudApi.newAccount("opnexus");
        String account = CloudApi.accountOf(owner);
        String target = createNamespace(owner, "handler-" + unique());
        String caller = createNamespace(owner, "caller-" + unique());
        String name = "ops_" + unique();
        String by = "\"requestedBy\":{\"principalType\":\"user\",\"principalId\":\"u-1\",\"apiKeyId\":\"k-1\","
                + "\"accountId\":\"" + account + "\"}";
        String create = "{\"spec\":{\"name\":\"" + name + "\",\"targetNamespace\":\"" + target
                + "\",\"targetTaskQueue\":\"q1\"}," + by + "}";

        given().contentType("application/json").body(create).post("/internal/v1/nexus-endpoints").then().statusCode(401);
        JsonPath created = internal().body(create).post("/internal/v1/nexus-endpoints").then().statusCode(200)
                .extract().jsonPath();
        String id = created.getString("endpointId");
        assertEquals("STATE_FULFILLED", awaitOperation(owner, created.getString("asyncOperationId"))
                .getString("asyncOperation.state"));
        @SuppressWarnings("unchecked")
        Map<String, Object> provisioned = (Map<String, Object>) lastCall("PUT", id).get("body");
        // OperatorService has no callers field: its own target namespace may call it (Temporal OSS lets every one)
        assertEquals(List.of(target), provisioned.get("allowedCallerNamespaces"));
        internal().body(create).post("/internal/v1/nexus-endpoints").then().statusCode(409);

        // callers added through the Cloud Ops API survive an OperatorService update, which has no field for them
        as(owner).body("{\"spec\":" + spec(target, "q1", caller).replaceFirst("pay_[a-z0-9]+", name)
                + ",\"resourceVersion\":\"1\"}").post("/cloud/nexus/endpoints/" + id).then().statusCode(200);
        String update = create.replace("\"q1\"", "\"q2\"");
        String updateOp = internal().body(update).put("/internal/v1/nexus-endpoints/" + id).then().statusCode(200)
                .extract().path("asyncOperationId");
        assertEquals("STATE_FULFILLED", awaitOperation(owner, updateOp).getString("asyncOperation.state"));
        @SuppressWarnings("unchecked")
        Map<String, Object> updated = (Map<String, Object>) lastCall("PUT", id).get("body");
        assertEquals("q2", updated.get("targetTaskQueue"));
        assertEquals(List.of(caller), updated.get("allowedCallerNamespaces"));
        as(owner).get("/cloud/audit-logs").then().statusCode(200);

        String deleteOp = internal().body("{" + by + "}").post("/internal/v1/nexus-endpoints/" + id + "/delete").then()
                .statusCode(200).extract().path("asyncOperationId");
        assertEquals("STATE_FULFILLED", awaitOperation(owner, deleteOp).getString("asyncOperation.state"));
        assertEquals(1, calls("DELETE", id).size());
        internal().body("{" + by + "}").post("/internal/v1/nexus-endpoints/" + id + "/delete").then().statusCode(404);
    }

    private static io.restassured.specification.RequestSpecification internal() {
        return given().header("X-Aeon-Internal-Token", RecordingDataPlane.INTERNAL_TOKEN)
                .contentType("application/json");
    }

    private static List<Map<String, Object>> calls(String method, String endpointId) {
        return RecordingDataPlane.calls(method, "/internal/v1/nexus-endpoints/" + endpointId);
    }

    private static Map<String, Object> lastCall(String method, String endpointId) {
        return RecordingDataPlane.lastCall(method, "/internal/v1/nexus-endpoints/" + endpointId);
    }
}
