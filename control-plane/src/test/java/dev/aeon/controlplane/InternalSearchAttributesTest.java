package dev.aeon.controlplane;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.aeon.controlplane.CloudApi.as;
import static dev.aeon.controlplane.CloudApi.awaitOperation;
import static dev.aeon.controlplane.CloudApi.createNamespace;
import static dev.aeon.controlplane.CloudApi.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code POST /internal/v1/namespaces/{namespace}/search-attributes}: the data plane's OperatorService
 * {@code AddSearchAttributes} on a control-plane namespace becomes a versioned spec change with an async operation,
 * audit-logged as the caller's, provisioned back to the data plane like any update.
 */
@QuarkusTest
class InternalSearchAttributesTest {

    @Test
    void addingChangesTheSpecAsAnUpdateWouldAndIsAuditedAsTheCaller() {
        String owner = CloudApi.newAccount("sa");
        JsonPath me = as(owner).get("/cloud/current-identity").then().statusCode(200).extract().jsonPath();
        String ns = createNamespace(owner, "search-" + unique());

        String operation = internal().body(add(Map.of("CustomerId", "Keyword", "Tags", "KeywordList"),
                        me.getString("user.id"), me.getString("principalApiKey.id")))
                .post("/internal/v1/namespaces/" + ns + "/search-attributes").then().statusCode(200)
                .body("namespace", equalTo(ns)).extract().path("asyncOperationId");
        JsonPath done = awaitOperation(owner, operation);
        assertEquals("STATE_FULFILLED", done.getString("asyncOperation.state"));
        assertEquals("AddSearchAttributes", done.getString("asyncOperation.operationType"));

        as(owner).get("/cloud/namespaces/" + ns).then().statusCode(200)
                .body("namespace.resourceVersion", equalTo("2"))
                .body("namespace.spec.searchAttributes.CustomerId", equalTo("SEARCH_ATTRIBUTE_TYPE_KEYWORD"))
                .body("namespace.spec.searchAttributes.Tags", equalTo("SEARCH_ATTRIBUTE_TYPE_KEYWORD_LIST"));
        Map<?, ?> provisioned = (Map<?, ?>) lastPut(ns).get("body");
        assertEquals(Map.of("CustomerId", "Keyword", "Tags", "KeywordList"), provisioned.get("searchAttributes"));

        List<Map<String, Object>> logs = AuditLogRestTest.allLogs(owner, "");
        Map<String, Object> added = logs.get(logs.size() - 1);
        assertEquals("AddSearchAttributes", added.get("operation"));
        assertEquals(Map.of("type", "user", "id", me.getString("user.id"), "apiKeyId",
                me.getString("principalApiKey.id")), added.get("principal"));
        assertEquals(operation, added.get("asyncOperationId"));

        // The same attributes again change nothing: no operation, no new version.
        internal().body(add(Map.of("CustomerId", "Keyword"), "u-1", "k-1"))
                .post("/internal/v1/namespaces/" + ns + "/search-attributes").then().statusCode(200)
                .body("asyncOperationId", nullValue());
        as(owner).get("/cloud/namespaces/" + ns).then().body("namespace.resourceVersion", equalTo("2"));
    }

    @Test
    void refusalsNameTheRule() {
        String owner = CloudApi.newAccount("sarefuse");
        String ns = createNamespace(owner, "refuse-" + unique());
        String path = "/internal/v1/namespaces/" + ns + "/search-attributes";
        internal().body(add(Map.of("Amount", "Int"), "u-1", "k-1")).post(path).then().statusCode(200);
        awaitIdle(owner, ns);

        internal().body(add(Map.of("Amount", "Keyword"), "u-1", "k-1")).post(path).then().statusCode(400)
                .body("code", equalTo("INVALID_ARGUMENT")).body("field", equalTo("add"))
                .body("message", containsString("\"Amount\" already exists with type Int"));
        internal().body(add(Map.of("Bad Name", "Keyword"), "u-1", "k-1")).post(path).then().statusCode(400)
                .body("field", equalTo("add"));
        internal().body(add(Map.of("Good", "Unspecified"), "u-1", "k-1")).post(path).then().statusCode(400)
                .body("message", containsString("unknown type"));
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 100; i++) {
            many.append(i == 0 ? "" : ",").append("\"Attr").append(i).append("\":\"Keyword\"");
        }
        internal().body("{\"add\":" + many + "},\"requestedBy\":{\"principalType\":\"user\",\"principalId\":\"u\"}}")
                .post(path).then().statusCode(400)
                .body("message", containsString("at most 100 custom search attributes; this would make 101"));
        internal().body("{\"add\":{\"X\":\"Keyword\"}}").post(path).then().statusCode(400)
                .body("field", equalTo("requestedBy"));
        internal().body(add(Map.of("X", "Keyword"), "u-1", "k-1"))
                .post("/internal/v1/namespaces/missing-" + unique() + ".nobody/search-attributes").then()
                .statusCode(404);
        given().contentType("application/json").body(add(Map.of("X", "Keyword"), "u-1", "k-1")).post(path).then()
                .statusCode(401);
        as(owner).get("/cloud/namespaces/" + ns).then().body("namespace.resourceVersion", equalTo("2"));
    }

    @Test
    void theUpdateNamespaceLimitIsTheSame() {
        String owner = CloudApi.newAccount("salimit");
        String name = "limit-" + unique();
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("\"Attr").append(i).append("\":\"SEARCH_ATTRIBUTE_TYPE_INT\"");
        }
        as(owner).body("{\"spec\":{\"name\":\"" + name + "\",\"retentionDays\":7,\"apiKeyAuth\":{\"enabled\":true},"
                        + "\"searchAttributes\":" + many + "}}}").post("/cloud/namespaces").then().statusCode(400)
                .body("field", equalTo("spec.search_attributes"))
                .body("message", containsString("at most 100 custom search attributes"));
    }

    private static RequestSpecification internal() {
        return given().header("X-Aeon-Internal-Token", RecordingDataPlane.INTERNAL_TOKEN).contentType("application/json");
    }

    private static String add(Map<String, String> attributes, String principalId, String apiKeyId) {
        StringBuilder body = new StringBuilder("{\"add\":{");
        attributes.forEach((name, type) -> body.append(body.charAt(body.length() - 1) == '{' ? "" : ",")
                .append('"').append(name).append("\":\"").append(type).append('"'));
        return body.append("},\"requestedBy\":{\"principalType\":\"user\",\"principalId\":\"").append(principalId)
                .append("\",\"apiKeyId\":\"").append(apiKeyId).append("\"}}").toString();
    }

    private static void awaitIdle(String owner, String ns) {
        for (int i = 0; i < 200; i++) {
            String state = as(owner).get("/cloud/namespaces/" + ns).then().extract().path("namespace.state");
            if ("RESOURCE_STATE_ACTIVE".equals(state)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Map<String, Object> lastPut(String namespace) {
        return RecordingDataPlane.lastCall("PUT", "/internal/v1/namespaces/" + namespace);
    }
}
