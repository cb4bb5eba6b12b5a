package dev.aeon.dataplane.frontend;

import dev.aeon.dataplane.TestTenant;
import dev.aeon.testing.StandInControlPlaneResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Temporal's HTTP API for WorkflowService on the data plane's HTTP port ({@code /api/v1/...}, proto3 JSON), with
 * the gRPC API's authentication and permissions: a workflow started, described, listed, counted, signalled and
 * terminated over HTTP; a schedule made; and the refusals (no key, a wrong key, a READ key acting, another
 * account's namespace, an unknown path, a malformed body).
 */
@QuarkusTest
class WorkflowHttpApiTest {

    private static final String NAMESPACE = TestTenant.namespace("http-" + UUID.randomUUID().toString().substring(0, 8));

    @BeforeAll
    static void provision() {
        TestTenant.provision(NAMESPACE);
    }

    private static RequestSpecification as(String apiKey) {
        return RestAssured.given().header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON);
    }

    private static RequestSpecification owner() {
        return as(TestTenant.apiKey());
    }

    @Test
    void aWorkflowStartedDescribedListedAndTerminatedOverHttp() throws Exception {
        String id = "http-" + UUID.randomUUID();
        String base = "/api/v1/namespaces/" + NAMESPACE + "/workflows/" + id;
        String runId = owner().body("""
                        {"workflowType":{"name":"NobodyRunsThis"},"taskQueue":{"name":"http-idle"},
                         "requestId":"%s","input":{"payloads":[{"metadata":{"encoding":"anNvbi9wbGFpbg=="},
                         "data":"IkhUVFAi"}]}}""".formatted(UUID.randomUUID()))
                .post(base).then().statusCode(200).body("runId", notNullValue()).extract().path("runId");

        owner().get(base).then().statusCode(200)
                .body("workflowExecutionInfo.execution.runId", equalTo(runId))
                .body("workflowExecutionInfo.status", equalTo("WORKFLOW_EXECUTION_STATUS_RUNNING"))
                .body("workflowExecutionInfo.type.name", equalTo("NobodyRunsThis"));
        owner().get(base + "/history").then().statusCode(200)
                .body("history.events[0].eventType", equalTo("EVENT_TYPE_WORKFLOW_EXECUTION_STARTED"));
        owner().body("{\"input\":{}}").post(base + "/signal/poke").then().statusCode(200);

        // the query parameter fills the request's query field; lists follow the run through visibility
        long deadline = System.currentTimeMillis() + 10_000;
        while (!owner().queryParam("query", "WorkflowId = '" + id + "'")
                .get("/api/v1/namespaces/" + NAMESPACE + "/workflows").asString().contains(runId)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not listed within 10 s");
            }
            Thread.sleep(100);
        }
        owner().queryParam("query", "WorkflowId = '" + id + "'").get("/api/v1/namespaces/" + NAMESPACE + "/workflow-count")
                .then().statusCode(200).body("count", equalTo("1"));

        // the body names the execution as proto3 JSON does (workflowExecution), beside the path's workflow id
        owner().body("{\"workflowExecution\":{\"runId\":\"" + runId + "\"},\"reason\":\"done over HTTP\"}")
                .post(base + "/terminate").then().statusCode(200);
        owner().get(base + "/history").then().statusCode(200)
                .body("history.events.eventType", hasItem("EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED"));
    }

    @Test
    void aScheduleMadeOverHttp() {
        String base = "/api/v1/namespaces/" + NAMESPACE + "/schedules/http-daily";
        owner().body("""
                {"schedule":{"spec":{"cronString":["@daily"]},"action":{"startWorkflow":{"workflowId":"daily",
                 "workflowType":{"name":"NobodyRunsThis"},"taskQueue":{"name":"http-idle"}}}},"requestId":"%s"}"""
                .formatted(UUID.randomUUID())).post(base).then().statusCode(200).body("conflictToken", notNullValue());
        owner().get(base).then().statusCode(200)
                .body("schedule.spec.structuredCalendar.size()", equalTo(1))
                .body("info.futureActionTimes.size()", equalTo(10));
        owner().delete(base).then().statusCode(200);
        owner().get(base).then().statusCode(404).body("code", equalTo(5)).body("message", equalTo("schedule not found"));
    }

    @Test
    void refusalsAreTheGrpcApisWithHttpStatuses() throws Exception {
        String workflows = "/api/v1/namespaces/" + NAMESPACE + "/workflows";
        RestAssured.given().get(workflows).then().statusCode(401).body("code", equalTo(16));
        as("not-a-key").get(workflows).then().statusCode(401);

        String readKeyId = "k-" + UUID.randomUUID();
        Instant expires = Instant.now().plus(1, ChronoUnit.DAYS);
        StandInControlPlaneResource.controlPlane().putAccess(readKeyId, """
                {"keyId":"%s","accountId":"%s","ownerId":"sa-1","ownerType":"service-account","enabled":true,
                 "expiresAt":"%s","accountRole":"DEVELOPER","namespacePermissions":{"%s":"READ"}}"""
                .formatted(readKeyId, TestTenant.ACCOUNT, expires, NAMESPACE));
        String readKey = StandInControlPlaneResource.sign(readKeyId, TestTenant.ACCOUNT, expires);
        as(readKey).get(workflows).then().statusCode(200);
        as(readKey).body("{\"workflowType\":{\"name\":\"X\"},\"taskQueue\":{\"name\":\"q\"}}")
                .post(workflows + "/read-only-start").then().statusCode(403).body("code", equalTo(7));

        // another account's key: the namespace is answered as missing
        as(TestTenant.ownerKey("globex")).get(workflows).then().statusCode(404);

        owner().get("/api/v1/namespaces/" + NAMESPACE + "/no-such-thing").then().statusCode(404)
                .body("message", containsString("no-such-thing"));
        owner().body("{\"workflowType\":").post(workflows + "/broken").then().statusCode(400)
                .body("message", containsString("StartWorkflowExecutionRequest"));
        owner().queryParam("noSuchField", "1").get(workflows).then().statusCode(400)
                .body("message", containsString("noSuchField"));
    }

    /** The console's origin, as %test.aeon.console.origin sets it. */
    private static final String CONSOLE = "http://console.test:7240";

    @Test
    void theConsolesOriginMayCallFromABrowserAndNoOtherOriginMay() {
        String workflows = "/api/v1/namespaces/" + NAMESPACE + "/workflows";
        RestAssured.given().header("Origin", CONSOLE).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .options(workflows + "/x/terminate").then().statusCode(200)
                .header("Access-Control-Allow-Origin", CONSOLE)
                .header("Access-Control-Allow-Headers", containsString("Authorization"))
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Credentials", nullValue());
        owner().header("Origin", CONSOLE).get(workflows).then().statusCode(200)
                .header("Access-Control-Allow-Origin", CONSOLE);
        // errors too, so that the console can read and show their message
        RestAssured.given().header("Origin", CONSOLE).get(workflows).then().statusCode(401)
                .header("Access-Control-Allow-Origin", CONSOLE);

        String other = "http://evil.test";
        RestAssured.given().header("Origin", other).header("Access-Control-Request-Method", "GET")
                .options(workflows).then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
        owner().header("Origin", other).get(workflows).then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
        // the internal API is not for browsers, whatever their origin
        RestAssured.given().header("Origin", CONSOLE).header("Access-Control-Request-Method", "GET")
                .options("/internal/namespaces").then().header("Access-Control-Allow-Origin", nullValue());
    }
}
