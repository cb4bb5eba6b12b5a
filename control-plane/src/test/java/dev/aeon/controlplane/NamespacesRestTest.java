package dev.aeon.controlplane;

import dev.aeon.controlplane.bootstrap.Bootstrap;
import dev.aeon.controlplane.store.ResourceStore;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.aeon.controlplane.CloudApi.as;
import static dev.aeon.controlplane.CloudApi.awaitOperation;
import static dev.aeon.controlplane.CloudApi.bootstrapToken;
import static dev.aeon.controlplane.CloudApi.createNamespace;
import static dev.aeon.controlplane.CloudApi.namespaceSpec;
import static dev.aeon.controlplane.CloudApi.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class NamespacesRestTest {

    @ConfigProperty(name = "aeon.control-plane.data-plane-url")
    String dataPlane;

    @Test
    void createReadUpdateDeleteThroughTheDataPlane() {
        String token = bootstrapToken();
        String name = "orders-" + unique();
        JsonPath created = as(token).header("temporal-cloud-api-version", "2024-10-01-00")
                .body("{\"spec\":" + namespaceSpec(name, 30) + ",\"tags\":{\"team\":\"payments\"}}")
                .post("/cloud/namespaces").then().statusCode(200).extract().jsonPath();
        String id = created.getString("namespace");
        assertEquals(name + "." + RecordingDataPlane.BOOTSTRAP_ACCOUNT, id);
        assertTrue(List.of("STATE_PENDING", "STATE_IN_PROGRESS", "STATE_FULFILLED")
                .contains(created.getString("asyncOperation.state")));
        assertEquals("CreateNamespace", created.getString("asyncOperation.operationType"));

        JsonPath done = awaitOperation(token, created.getString("asyncOperation.id"));
        assertEquals("STATE_FULFILLED", done.getString("asyncOperation.state"));
        assertNotNull(done.getString("asyncOperation.finishedTime"));

        Map<String, Object> put = lastCall("PUT", id);
        assertEquals(RecordingDataPlane.INTERNAL_TOKEN, put.get("token"));
        assertEquals(Map.of("accountId", "acme", "retentionDays", 30, "apiKeyAuthEnabled", true,
                "mtls", Map.of("enabled", false, "acceptedClientCa", "", "certificateFilters", List.of()),
                "searchAttributes", Map.of(), "allowCrossNamespaceCommands", false, "searchAttributeFields", Map.of(),
                "formerSearchAttributeNames", Map.of()), put.get("body"));

        JsonPath namespace = as(token).get("/cloud/namespaces/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals("RESOURCE_STATE_ACTIVE", namespace.getString("namespace.state"));
        assertEquals("1", namespace.getString("namespace.resourceVersion"));
        assertEquals(List.of("local"), namespace.getList("namespace.spec.regions"));
        assertEquals("payments", namespace.getString("namespace.tags.team"));

        String update = "{\"spec\":{\"name\":\"" + name + "\",\"retentionDays\":45,\"apiKeyAuth\":{\"enabled\":true},"
                + "\"searchAttributes\":{\"CustomerId\":\"SEARCH_ATTRIBUTE_TYPE_KEYWORD\"}},\"resourceVersion\":\"1\"}";
        String updateOp = as(token).body(update).post("/cloud/namespaces/" + id).then().statusCode(200)
                .extract().path("asyncOperation.id");
        assertEquals("STATE_FULFILLED", awaitOperation(token, updateOp).getString("asyncOperation.state"));
        Map<String, Object> updated = lastCall("PUT", id);
        assertEquals(45, ((Map<?, ?>) updated.get("body")).get("retentionDays"));
        assertEquals(Map.of("CustomerId", "Keyword"), ((Map<?, ?>) updated.get("body")).get("searchAttributes"));

        // The version moved on: the same update again is stale, and nothing is applied.
        as(token).body(update).post("/cloud/namespaces/" + id).then().statusCode(400)
                .body("code", equalTo("FAILED_PRECONDITION"))
                .body("field", equalTo("resource_version"));
        as(token).body(update.replace("\"1\"", "\"2\"")).post("/cloud/namespaces/" + id).then().statusCode(400)
                .body("code", equalTo("INVALID_ARGUMENT"))
                .body("message", containsString("nothing to change"));
        as(token).body(update.replace("\"1\"", "\"2\"").replace("\"CustomerId\":\"SEARCH_ATTRIBUTE_TYPE_KEYWORD\"", ""))
                .post("/cloud/namespaces/" + id).then().statusCode(400)
                .body("field", equalTo("spec.search_attributes"))
                .body("message", containsString("cannot be removed"));
        as(token).body(update.replace("\"1\"", "\"2\"").replace("KEYWORD", "INT"))
                .post("/cloud/namespaces/" + id).then().statusCode(400)
                .body("message", containsString("cannot change type"));

        String renameOp = as(token).body("{\"existingCustomSearchAttributeName\":\"CustomerId\","
                        + "\"newCustomSearchAttributeName\":\"Customer\",\"resourceVersion\":\"2\"}")
                .post("/cloud/namespaces/" + id + "/rename-custom-search-attribute").then().statusCode(200)
                .extract().path("asyncOperation.id");
        awaitOperation(token, renameOp);
        as(token).get("/cloud/namespaces/" + id).then()
                .body("namespace.spec.searchAttributes.Customer", equalTo("SEARCH_ATTRIBUTE_TYPE_KEYWORD"))
                .body("namespace.resourceVersion", equalTo("3"));

        as(token).delete("/cloud/namespaces/" + id + "?resourceVersion=2").then().statusCode(400)
                .body("code", equalTo("FAILED_PRECONDITION"));
        String deleteOp = as(token).delete("/cloud/namespaces/" + id + "?resource_version=3").then().statusCode(200)
                .extract().path("asyncOperation.id");
        assertEquals("STATE_FULFILLED", awaitOperation(token, deleteOp).getString("asyncOperation.state"));
        assertEquals("DELETE", lastCall("DELETE", id).get("method"));
        as(token).get("/cloud/namespaces/" + id).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
    }

    /**
     * The data plane stores search attribute values by field: a rename must hand the old name's field to the new
     * name, whatever the names' order, and attributes added later take free fields.
     */
    @Test
    void aRenameKeepsTheAttributesFieldOnTheDataPlane() {
        String token = bootstrapToken();
        String name = "renames-" + unique();
        String id = as(token).body("{\"spec\":{\"name\":\"" + name + "\",\"retentionDays\":7,\"apiKeyAuth\":"
                        + "{\"enabled\":true},\"searchAttributes\":{\"Alpha\":\"SEARCH_ATTRIBUTE_TYPE_KEYWORD\","
                        + "\"CustomerId\":\"SEARCH_ATTRIBUTE_TYPE_KEYWORD\",\"Size\":\"SEARCH_ATTRIBUTE_TYPE_INT\"}},"
                        + "\"asyncOperationId\":\"create-" + name + "\"}")
                .post("/cloud/namespaces").then().statusCode(200).extract().path("namespace");
        awaitOperation(token, "create-" + name);
        assertEquals(Map.of("Alpha", "Keyword01", "CustomerId", "Keyword02", "Size", "Int01"),
                ((Map<?, ?>) lastCall("PUT", id).get("body")).get("searchAttributeFields"));

        String renameOp = as(token).body("{\"existingCustomSearchAttributeName\":\"CustomerId\","
                        + "\"newCustomSearchAttributeName\":\"Aaa\",\"resourceVersion\":\"1\"}")
                .post("/cloud/namespaces/" + id + "/rename-custom-search-attribute").then().statusCode(200)
                .extract().path("asyncOperation.id");
        assertEquals("STATE_FULFILLED", awaitOperation(token, renameOp).getString("asyncOperation.state"));
        Map<?, ?> renamed = (Map<?, ?>) lastCall("PUT", id).get("body");
        assertEquals(Map.of("Aaa", "Keyword", "Alpha", "Keyword", "Size", "Int"), renamed.get("searchAttributes"));
        assertEquals(Map.of("Aaa", "Keyword02", "Alpha", "Keyword01", "Size", "Int01"),
                renamed.get("searchAttributeFields"));
        assertEquals(Map.of("CustomerId", "Keyword02"), renamed.get("formerSearchAttributeNames"));

        String update = "{\"spec\":{\"name\":\"" + name + "\",\"retentionDays\":7,\"apiKeyAuth\":{\"enabled\":true},"
                + "\"searchAttributes\":{\"Aaa\":\"SEARCH_ATTRIBUTE_TYPE_KEYWORD\",\"Alpha\":\"SEARCH_ATTRIBUTE_TYPE_KEYWORD\","
                + "\"Size\":\"SEARCH_ATTRIBUTE_TYPE_INT\",\"Beta\":\"SEARCH_ATTRIBUTE_TYPE_KEYWORD\"}},\"resourceVersion\":\"2\"}";
        String updateOp = as(token).body(update).post("/cloud/namespaces/" + id).then().statusCode(200)
                .extract().path("asyncOperation.id");
        assertEquals("STATE_FULFILLED", awaitOperation(token, updateOp).getString("asyncOperation.state"));
        assertEquals(Map.of("Aaa", "Keyword02", "Alpha", "Keyword01", "Beta", "Keyword03", "Size", "Int01"),
                ((Map<?, ?>) lastCall("PUT", id).get("body")).get("searchAttributeFields"));
        assertEquals(Map.of("CustomerId", "Keyword02"),
                ((Map<?, ?>) lastCall("PUT", id).get("body")).get("formerSearchAttributeNames"));
    }

    @Test
    void aClientChosenOperationIdMakesCreateIdempotent() {
        String token = bootstrapToken();
        String name = "idem-" + unique();
        String body = "{\"spec\":" + namespaceSpec(name, 3) + ",\"asyncOperationId\":\"op-" + name + "\"}";
        JsonPath first = as(token).body(body).post("/cloud/namespaces").then().statusCode(200).extract().jsonPath();
        awaitOperation(token, "op-" + name);
        JsonPath retry = as(token).body(body).post("/cloud/namespaces").then().statusCode(200).extract().jsonPath();
        assertEquals(first.getString("namespace"), retry.getString("namespace"));
        assertEquals("op-" + name, retry.getString("asyncOperation.id"));
        assertEquals("STATE_FULFILLED", retry.getString("asyncOperation.state"));
        assertEquals(1, calls("PUT", first.getString("namespace")).size(), "the retry changed nothing");

        as(token).body("{\"spec\":" + namespaceSpec(name, 3) + "}").post("/cloud/namespaces").then()
                .statusCode(409).body("code", equalTo("ALREADY_EXISTS")).body("field", equalTo("spec.name"));
    }

    @Test
    void invalidSpecsNameTheFieldAndTheRule() {
        String token = bootstrapToken();
        expectInvalid(token, namespaceSpec("Bad_Name", 7), "spec.name", "lowercase");
        expectInvalid(token, namespaceSpec("x", 7), "spec.name", "2-39");
        expectInvalid(token, namespaceSpec("a" + "b".repeat(39), 7), "spec.name", "2-39");
        expectInvalid(token, namespaceSpec("ok-" + unique(), 0), "spec.retention_days", "1-90");
        expectInvalid(token, namespaceSpec("ok-" + unique(), 91), "spec.retention_days", "1-90");
        expectInvalid(token, "{\"name\":\"r-" + unique() + "\",\"retentionDays\":7,\"regions\":[\"mars\"],"
                + "\"apiKeyAuth\":{\"enabled\":true}}", "spec.regions", "unknown region");
        expectInvalid(token, "{\"name\":\"m-" + unique() + "\",\"retentionDays\":7,\"mtlsAuth\":{\"enabled\":true,"
                + "\"acceptedClientCa\":\"" + base64("not a certificate") + "\"}}", "spec.mtls_auth.accepted_client_ca",
                "PEM");
        expectInvalid(token, "{\"name\":\"m-" + unique() + "\",\"retentionDays\":7,\"mtlsAuth\":{\"enabled\":true}}",
                "spec.mtls_auth.accepted_client_ca", "required");
        expectInvalid(token, "{\"name\":\"m-" + unique() + "\",\"retentionDays\":7,\"apiKeyAuth\":{\"enabled\":true},"
                + "\"mtlsAuth\":{\"certificateFilters\":[{}]}}", "spec.mtls_auth.certificate_filters[0]", "at least one");
        expectInvalid(token, "{\"name\":\"n-" + unique() + "\",\"retentionDays\":7}", "spec.api_key_auth.enabled",
                "mtls_auth or api_key_auth");
        as(token).body("{\"spec\":{\"nope\":1}}").post("/cloud/namespaces").then().statusCode(400)
                .body("field", equalTo("body"));
    }

    @Test
    void aCertificateFilterWildcardIsOnlyAWholeLeadingLabel() throws Exception {
        String token = bootstrapToken();
        String ca = base64(TestCertificates.generate().caPem());
        String[][] refused = {{"commonName", "*"}, {"organization", "*acme"}, {"organizationalUnit", "pay*"},
                {"subjectAlternativeName", "*acme.com"}, {"subjectAlternativeName", "workers.*.acme.com"}};
        String[] wireNames = {"common_name", "organization", "organizational_unit", "subject_alternative_name",
                "subject_alternative_name"};
        for (int i = 0; i < refused.length; i++) {
            expectInvalid(token, "{\"name\":\"w-" + unique() + "\",\"retentionDays\":7,\"mtlsAuth\":{\"enabled\":true,"
                            + "\"acceptedClientCa\":\"" + ca + "\",\"certificateFilters\":[{\"commonName\":\"worker\"},"
                            + "{\"" + refused[i][0] + "\":\"" + refused[i][1] + "\"}]}}",
                    "spec.mtls_auth.certificate_filters[1]." + wireNames[i], "whole leading label");
        }
        as(token).body("{\"spec\":{\"name\":\"w-" + unique() + "\",\"retentionDays\":7,\"mtlsAuth\":{\"enabled\":true,"
                + "\"acceptedClientCa\":\"" + ca + "\",\"certificateFilters\":[{\"subjectAlternativeName\":"
                + "\"*.workers.acme.com\"}]}}}").post("/cloud/namespaces").then().statusCode(200);
    }

    @Test
    void mtlsNeedsCaCertificates() throws Exception {
        String token = bootstrapToken();
        TestCertificates certs = TestCertificates.generate();
        String name = "mtls-" + unique();
        String spec = "{\"name\":\"" + name + "\",\"retentionDays\":7,\"mtlsAuth\":{\"enabled\":true,"
                + "\"acceptedClientCa\":\"" + base64(certs.caPem()) + "\",\"certificateFilters\":[{\"commonName\":"
                + "\"worker\"}]}}";
        String id = as(token).body("{\"spec\":" + spec + "}").post("/cloud/namespaces").then().statusCode(200)
                .extract().path("namespace");
        awaitUntilCalled("PUT", id);
        Map<?, ?> mtls = (Map<?, ?>) ((Map<?, ?>) lastCall("PUT", id).get("body")).get("mtls");
        assertTrue(((String) mtls.get("acceptedClientCa")).startsWith("-----BEGIN CERTIFICATE-----"));
        assertEquals(List.of(Map.of("commonName", "worker", "organization", "", "organizationalUnit", "",
                "subjectAlternativeName", "")), mtls.get("certificateFilters"));
        as(token).get("/cloud/namespaces/" + id).then().statusCode(200)
                .body("namespace.spec.apiKeyAuth", org.hamcrest.Matchers.notNullValue())
                .body("namespace.spec.apiKeyAuth.enabled", org.hamcrest.Matchers.not(equalTo(true)));

        expectInvalid(token, "{\"name\":\"leaf-" + unique() + "\",\"retentionDays\":7,\"mtlsAuth\":{\"enabled\":true,"
                + "\"acceptedClientCa\":\"" + base64(certs.leafPem()) + "\"}}", "spec.mtls_auth.accepted_client_ca",
                "not a CA");
    }

    @Test
    void deleteProtectionKeepsTheNamespace() {
        String token = bootstrapToken();
        String name = "kept-" + unique();
        String spec = "{\"name\":\"" + name + "\",\"retentionDays\":7,\"apiKeyAuth\":{\"enabled\":true},"
                + "\"lifecycle\":{\"enableDeleteProtection\":true}}";
        JsonPath created = as(token).body("{\"spec\":" + spec + "}").post("/cloud/namespaces").then().statusCode(200)
                .extract().jsonPath();
        awaitOperation(token, created.getString("asyncOperation.id"));
        as(token).delete("/cloud/namespaces/" + created.getString("namespace") + "?resourceVersion=1").then()
                .statusCode(400).body("code", equalTo("FAILED_PRECONDITION"))
                .body("field", equalTo("spec.lifecycle.enable_delete_protection"));
    }

    @Test
    void aDataPlaneOutageKeepsTheOperationInProgressUntilItEnds() throws InterruptedException {
        String token = bootstrapToken();
        String name = "outage-" + unique();
        String id = name + "." + RecordingDataPlane.BOOTSTRAP_ACCOUNT;
        given().baseUri(dataPlane).put("/_test/outages/" + id).then().statusCode(200);
        JsonPath created = as(token).body("{\"spec\":" + namespaceSpec(name, 7) + "}").post("/cloud/namespaces")
                .then().statusCode(200).extract().jsonPath();
        String operationId = created.getString("asyncOperation.id");
        for (int i = 0; i < 200 && calls("PUT", id).size() < 5; i++) {
            Thread.sleep(50);
        }
        assertTrue(calls("PUT", id).size() >= 5, "retried while the data plane is down");
        as(token).get("/cloud/operations/" + operationId).then().statusCode(200)
                .body("asyncOperation.state", equalTo("STATE_IN_PROGRESS"))
                .body("asyncOperation.failureReason", nullValue());
        as(token).get("/cloud/namespaces/" + id).then().body("namespace.state", equalTo("RESOURCE_STATE_ACTIVATING"));

        given().baseUri(dataPlane).delete("/_test/outages/" + id).then().statusCode(200);
        assertEquals("STATE_FULFILLED", awaitOperation(token, operationId).getString("asyncOperation.state"));
        as(token).get("/cloud/namespaces/" + id).then().body("namespace.state", equalTo("RESOURCE_STATE_ACTIVE"));
    }

    @Test
    void aRejectionByTheDataPlaneEndsTheOperationFailedWithItsReason() {
        String token = bootstrapToken();
        String name = "reject-" + unique();
        JsonPath created = as(token).body("{\"spec\":" + namespaceSpec(name, 7) + "}").post("/cloud/namespaces")
                .then().statusCode(200).extract().jsonPath();
        JsonPath op = awaitOperation(token, created.getString("asyncOperation.id"));
        assertEquals("STATE_FAILED", op.getString("asyncOperation.state"));
        assertTrue(op.getString("asyncOperation.failureReason").contains("HTTP 400"), op.prettify());
        assertTrue(op.getString("asyncOperation.failureReason").contains("exceeds this cell's limit"), op.prettify());
        assertEquals(1, calls("PUT", created.getString("namespace")).size(), "a rejection is not retried");
        as(token).get("/cloud/namespaces/" + created.getString("namespace")).then()
                .body("namespace.state", equalTo("RESOURCE_STATE_ACTIVATION_FAILED"));
    }

    @Test
    void listsPageWithOpaqueTokens() {
        String token = CloudApi.newAccount("pages");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(createNamespace(token, "p" + i + "-" + unique()));
        }
        List<String> seen = new ArrayList<>();
        String pageToken = "";
        do {
            JsonPath page = as(token).get("/cloud/namespaces?pageSize=2&pageToken=" + pageToken).then()
                    .statusCode(200).extract().jsonPath();
            List<String> names = page.getList("namespaces.namespace");
            assertTrue(names.size() <= 2);
            seen.addAll(names);
            pageToken = page.getString("nextPageToken") == null ? "" : page.getString("nextPageToken");
        } while (!pageToken.isEmpty());
        assertEquals(ids.stream().sorted().toList(), seen);

        as(token).get("/cloud/namespaces?page_size=0").then().statusCode(200).body("namespaces.size()", equalTo(5));
        as(token).get("/cloud/namespaces?page_size=1000").then().statusCode(200);
        as(token).get("/cloud/namespaces?page_size=1001").then().statusCode(400).body("field", equalTo("page_size"));
        as(token).get("/cloud/namespaces?page_size=-1").then().statusCode(400).body("field", equalTo("page_size"));
        as(token).get("/cloud/namespaces?page_size=abc").then().statusCode(400).body("field", equalTo("page_size"));
        as(token).get("/cloud/namespaces?page_token=garbage").then().statusCode(400).body("field", equalTo("page_token"));
    }

    @Test
    void anotherAccountSeesNothingOfThisOne() {
        String a = bootstrapToken();
        String b = CloudApi.newAccount("globex");
        String id = createNamespace(a, "secret-" + unique());
        as(b).get("/cloud/namespaces/" + id).then().statusCode(404);
        as(b).get("/cloud/namespaces").then().statusCode(200).body("namespaces.namespace", not(hasItem(id)));
        as(b).body("{\"spec\":" + namespaceSpec("x", 7) + "}").post("/cloud/namespaces/" + id).then().statusCode(404);
        as(b).delete("/cloud/namespaces/" + id + "?resourceVersion=1").then().statusCode(404);
        as(a).get("/cloud/namespaces/" + id).then().statusCode(200);
    }

    @Test
    void accountIdsAreLabelsWithoutDots() {
        Bootstrap bootstrap = Arc.container().instance(Bootstrap.class).get();
        for (String invalid : List.of("b.evil", "Acme", "-acme")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> bootstrap.createAccount(invalid, "o@x.test", Optional.empty()));
            assertTrue(refused.getMessage().startsWith("aeon.control-plane.bootstrap.account-id: must be"),
                    refused.getMessage());
        }
        assertFalse(Arc.container().instance(ResourceStore.class).get().accountExists("b.evil"));
    }

    @Test
    void regionsAccountAndUnknownRoutes() {
        String token = bootstrapToken();
        as(token).get("/cloud/regions").then().statusCode(200).body("regions.id", equalTo(List.of("local", "aws-local")));
        as(token).get("/cloud/regions/local").then().statusCode(200).body("region.id", equalTo("local"));
        as(token).get("/cloud/regions/mars").then().statusCode(404);
        as(token).get("/cloud/account").then().statusCode(200).body("account.id", equalTo("acme"));
        as(token).get("/cloud/nothing-here").then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        as(token).get("/cloud/user-groups").then().statusCode(501).body("code", equalTo("UNIMPLEMENTED"));
        given().get("/cloud/namespaces").then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        given().header("Authorization", "Bearer not.a.jwt").get("/cloud/namespaces").then().statusCode(401);
    }

    @Test
    void bootstrapProvisionedItsNamespace() {
        String token = bootstrapToken();
        String id = "bootstrap." + RecordingDataPlane.BOOTSTRAP_ACCOUNT;
        awaitOperation(token, "bootstrap-namespace-" + id);
        as(token).get("/cloud/namespaces/" + id).then().statusCode(200)
                .body("namespace.state", equalTo("RESOURCE_STATE_ACTIVE"))
                .body("namespace.spec.apiKeyAuth.enabled", equalTo(true));
        assertEquals(id, ((String) lastCall("PUT", id).get("path")).substring("/internal/v1/namespaces/".length()));
    }

    private static void expectInvalid(String token, String spec, String field, String rule) {
        as(token).body("{\"spec\":" + spec + "}").post("/cloud/namespaces").then().statusCode(400)
                .body("code", equalTo("INVALID_ARGUMENT"))
                .body("field", equalTo(field))
                .body("message", containsString(rule));
    }

    static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static List<Map<String, Object>> calls(String method, String namespace) {
        return RecordingDataPlane.calls(method, "/internal/v1/namespaces/" + namespace);
    }

    private static Map<String, Object> lastCall(String method, String namespace) {
        return RecordingDataPlane.lastCall(method, "/internal/v1/namespaces/" + namespace);
    }

    private void awaitUntilCalled(String method, String namespace) throws InterruptedException {
        for (int i = 0; i < 200 && calls(method, namespace).isEmpty(); i++) {
            Thread.sleep(50);
        }
    }
}
