package dev.aeon.controlplane;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.aeon.controlplane.CloudApi.as;
import static dev.aeon.controlplane.CloudApi.createNamespace;
import static dev.aeon.controlplane.CloudApi.namespaceSpec;
import static dev.aeon.controlplane.CloudApi.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /cloud/audit-logs}: every mutation call, accepted or refused, of the caller's account only. */
@QuarkusTest
class AuditLogRestTest {

    @Test
    void everyAcceptedMutationIsLoggedWithWhoWhatAndResult() {
        String owner = CloudApi.newAccount("audit");
        JsonPath me = as(owner).get("/cloud/current-identity").then().statusCode(200).extract().jsonPath();
        String ownerId = me.getString("user.id");
        String ownerKey = me.getString("principalApiKey.id");

        String ns = createNamespace(owner, "audited-" + unique());
        CloudApi.Identity robot = CloudApi.newServiceAccount(owner, "ROLE_DEVELOPER");
        as(owner).body("{\"access\":{\"permission\":\"PERMISSION_WRITE\"},\"resourceVersion\":\"1\"}")
                .post("/cloud/namespaces/" + ns + "/service-accounts/" + robot.id() + "/access").then().statusCode(200);
        as(owner).delete("/cloud/service-accounts/" + robot.id() + "?resourceVersion=2").then().statusCode(200);

        List<Map<String, Object>> logs = afterBootstrap(allLogs(owner, ""));
        assertEquals(List.of("CreateNamespace", "CreateServiceAccount", "CreateApiKey",
                "SetServiceAccountNamespaceAccess", "DeleteServiceAccount"), operations(logs));
        Map<String, Object> create = logs.get(0);
        assertEquals(Map.of("type", "user", "id", ownerId, "apiKeyId", ownerKey), create.get("principal"));
        assertEquals("FULFILLED", create.get("status"), "the provisioning operation's state, as it is now");
        assertEquals(Map.of("resourceType", "namespace", "resourceId", ns), create.get("rawDetails"));
        assertTrue(create.get("asyncOperationId") != null && create.get("emitTime") != null, create.toString());
        Map<String, Object> key = logs.get(2);
        assertEquals(robot.keyId(), ((Map<?, ?>) key.get("rawDetails")).get("resourceId"));
        assertEquals(1.0, ((Number) ((Map<?, ?>) logs.get(4).get("rawDetails")).get("deletedApiKeys")).doubleValue());

        String body = as(owner).get("/cloud/audit-logs").then().statusCode(200).extract().asString();
        assertFalse(body.contains(robot.token()), "an API key's token never reaches the audit log");
    }

    @Test
    void refusedMutationsAreLoggedWithTheirError() {
        String owner = CloudApi.newAccount("refusals");
        CloudApi.Identity reader = CloudApi.newUser(owner, "ROLE_READ", null);
        as(owner).body("{\"spec\":" + namespaceSpec("Bad_Name", 7) + ",\"asyncOperationId\":\"op-bad\"}")
                .post("/cloud/namespaces").then().statusCode(400);
        as(reader.token()).body("{\"spec\":{\"email\":\"x-" + unique() + "@example.com\"}}").post("/cloud/users")
                .then().statusCode(403);
        as(owner).delete("/cloud/users/" + reader.id() + "?resourceVersion=7").then().statusCode(400);
        as(owner).get("/cloud/namespaces").then().statusCode(200); // reads are not logged

        List<Map<String, Object>> logs = afterBootstrap(allLogs(owner, ""));
        assertEquals(List.of("CreateUser", "CreateApiKey", "CreateNamespace", "CreateUser", "DeleteUser"),
                operations(logs));
        Map<String, Object> invalid = logs.get(2);
        assertEquals("INVALID_ARGUMENT", invalid.get("status"));
        assertEquals("op-bad", invalid.get("asyncOperationId"));
        assertEquals("spec.name", ((Map<?, ?>) invalid.get("rawDetails")).get("field"));
        assertEquals("namespace", ((Map<?, ?>) invalid.get("rawDetails")).get("resourceType"));
        Map<String, Object> denied = logs.get(3);
        assertEquals("PERMISSION_DENIED", denied.get("status"));
        assertEquals(reader.id(), ((Map<?, ?>) denied.get("principal")).get("id"));
        assertEquals(reader.keyId(), ((Map<?, ?>) denied.get("principal")).get("apiKeyId"));
        assertTrue(((String) ((Map<?, ?>) denied.get("rawDetails")).get("error")).contains("OWNER or ADMIN"));
        Map<String, Object> stale = logs.get(4);
        assertEquals("FAILED_PRECONDITION", stale.get("status"));
        assertEquals(Map.of("resourceType", "user", "resourceId", reader.id()),
                Map.of("resourceType", ((Map<?, ?>) stale.get("rawDetails")).get("resourceType"),
                        "resourceId", ((Map<?, ?>) stale.get("rawDetails")).get("resourceId")));
    }

    @Test
    void onlyOwnersAndAdminsOfTheAccountReadItPagedAndByTime() {
        String owner = CloudApi.newAccount("auditread");
        CloudApi.Identity admin = CloudApi.newUser(owner, "ROLE_ADMIN", null);
        CloudApi.Identity developer = CloudApi.newUser(owner, "ROLE_DEVELOPER", null);
        CloudApi.Identity reader = CloudApi.newServiceAccount(owner, "ROLE_READ");
        Instant afterSetUp = Instant.now();
        createNamespace(admin.token(), "late-" + unique());

        as(developer.token()).get("/cloud/audit-logs").then().statusCode(403).body("code", equalTo("PERMISSION_DENIED"));
        as(reader.token()).get("/cloud/audit-logs").then().statusCode(403);
        List<Map<String, Object>> all = allLogs(admin.token(), "");
        assertEquals(9, all.size(), operations(all).toString());

        List<Map<String, Object>> paged = new ArrayList<>();
        String token = "";
        do {
            JsonPath page = as(owner).get("/cloud/audit-logs?page_size=2&page_token=" + token).then().statusCode(200)
                    .extract().jsonPath();
            List<Map<String, Object>> logs = page.getList("logs");
            assertTrue(logs.size() <= 2);
            paged.addAll(logs);
            token = page.getString("nextPageToken") == null ? "" : page.getString("nextPageToken");
        } while (!token.isEmpty());
        assertEquals(all, paged);

        assertEquals(List.of("CreateNamespace"), operations(allLogs(owner, "start_time_inclusive=" + afterSetUp)));
        assertEquals(8, allLogs(owner, "endTimeExclusive=" + afterSetUp).size());
        as(owner).get("/cloud/audit-logs?start_time_inclusive=" + afterSetUp + "&end_time_exclusive=" + afterSetUp)
                .then().statusCode(400).body("field", equalTo("end_time_exclusive"));
        as(owner).get("/cloud/audit-logs?start_time_inclusive=yesterday").then().statusCode(400)
                .body("field", equalTo("start_time_inclusive"));
        as(owner).get("/cloud/audit-logs?page_token=garbage").then().statusCode(400).body("field", equalTo("page_token"));

        String other = CloudApi.newAccount("auditother");
        assertEquals(List.of("CreateUser", "CreateApiKey"), operations(allLogs(other, "")),
                "another account's log holds only its own bootstrap");
    }

    static List<Map<String, Object>> allLogs(String token, String query) {
        List<Map<String, Object>> logs = as(token).get("/cloud/audit-logs?page_size=1000&" + query).then()
                .statusCode(200).extract().jsonPath().getList("logs");
        return logs == null ? List.of() : logs;
    }

    /** Drops what creating the account logged: its owner and the owner's key. */
    /** Found by schemathesis: a refusal quoting a NUL or an overlong id was not logged (PostgreSQL refused the row). */
    @Test
    void aRefusalIsLoggedWhateverTheRequestQuotes() {
        String owner = CloudApi.newAccount("quotes");
        as(owner).body("{\"asyncOperationId\":\"op\\u0000" + "o".repeat(300) + "\"}")
                .post("/cloud/namespaces/ns" + "x".repeat(300) + "/update-tags")
                .then().statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(400));
        List<Map<String, Object>> logs = as(owner).get("/cloud/audit-logs").then().statusCode(200).extract()
                .jsonPath().getList("logs");
        Map<String, Object> refusal = logs.get(logs.size() - 1);
        assertEquals("UpdateNamespaceTags", refusal.get("operation"), String.valueOf(logs));
        String resourceId = (String) ((Map<?, ?>) refusal.get("rawDetails")).get("resourceId");
        assertEquals(200, resourceId.length(), resourceId);
        String operationId = (String) refusal.get("asyncOperationId");
        assertTrue(operationId.startsWith("op\uFFFDooo") && operationId.length() == 200, operationId);
    }

    private static List<Map<String, Object>> afterBootstrap(List<Map<String, Object>> logs) {
        assertEquals(List.of("CreateUser", "CreateApiKey"), operations(logs.subList(0, 2)));
        assertTrue(((Map<?, ?>) logs.get(0).get("principal")).get("apiKeyId") == null, "made by the control plane");
        return logs.subList(2, logs.size());
    }

    private static List<Object> operations(List<Map<String, Object>> logs) {
        return logs.stream().map(l -> l.get("operation")).toList();
    }
}
