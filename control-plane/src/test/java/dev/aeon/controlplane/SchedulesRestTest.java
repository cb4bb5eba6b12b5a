package dev.aeon.controlplane;

import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.aeon.controlplane.CloudApi.as;
import static dev.aeon.controlplane.CloudApi.createNamespace;
import static dev.aeon.controlplane.CloudApi.unique;
import static dev.aeon.controlplane.RecordingDataPlane.calls;
import static dev.aeon.controlplane.RecordingDataPlane.lastCall;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /cloud/namespaces/{namespace}/schedules...}: a namespace's schedules managed from the control plane, each call
 * authorized on the namespace (READ to read, WRITE to change), sent to the data plane's internal API with the internal
 * token, and every change (made or refused) in the audit log. The data plane is the recording stand-in; the internal
 * API's side is data-plane's {@code InternalSchedulesApiTest}.
 */
@QuarkusTest
class SchedulesRestTest {

    private static final String SCHEDULE = "{\"schedule\":{\"spec\":{\"interval\":[{\"interval\":\"3600s\"}]},"
            + "\"action\":{\"startWorkflow\":{\"workflowId\":\"report\",\"workflowType\":{\"name\":\"Report\"},"
            + "\"taskQueue\":{\"name\":\"reports\"}}}}}";

    @ConfigProperty(name = "aeon.control-plane.data-plane-url")
    String dataPlane;

    @Test
    void everyScheduleRpcIsForwardedToTheDataPlaneAndEveryChangeLogged() {
        String owner = CloudApi.newAccount("sched");
        String ns = createNamespace(owner, "sched-" + unique());
        String base = "/cloud/namespaces/" + ns;

        as(owner).body(SCHEDULE).post(base + "/schedules/nightly").then().statusCode(200)
                .body("conflictToken", equalTo("AAAAAAAAAAE="));
        Map<String, Object> create = lastCall("POST", "/internal/v1/namespaces/" + ns + "/schedules/nightly");
        assertEquals(RecordingDataPlane.INTERNAL_TOKEN, create.get("token"));
        Map<?, ?> sent = (Map<?, ?>) create.get("body");
        assertEquals(ns, sent.get("namespace"));
        assertEquals("nightly", sent.get("scheduleId"));
        assertEquals("Report", ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) sent.get("schedule")).get("action"))
                .get("startWorkflow")).get("workflowType")).get("name"));
        assertTrue(((String) sent.get("requestId")).length() >= 32, "a request id, as an SDK sends: " + sent);
        assertTrue(((String) sent.get("identity")).startsWith("user:"), "who, in the schedule's history: " + sent);

        as(owner).get(base + "/schedules/nightly").then().statusCode(200)
                .body("schedule.state.notes", equalTo("held by the data plane"));
        as(owner).queryParam("query", "TemporalSchedulePaused = true").queryParam("maximum_page_size", "5")
                .queryParam("next_page_token", "AQI+/w==").get(base + "/schedules").then().statusCode(200);
        assertEquals("maximum_page_size=5&next_page_token=AQI%2B%2Fw%3D%3D&query=TemporalSchedulePaused%20%3D%20true",
                lastCall("GET", "/internal/v1/namespaces/" + ns + "/schedules").get("query"));
        as(owner).get(base + "/schedule-count").then().statusCode(200);
        as(owner).queryParam("start_time", "2030-01-01T00:00:00Z").queryParam("end_time", "2030-01-02T00:00:00Z")
                .get(base + "/schedules/nightly/matching-times").then().statusCode(200);
        assertEquals("start_time=2030-01-01T00%3A00%3A00Z&end_time=2030-01-02T00%3A00%3A00Z",
                lastCall("GET", "/internal/v1/namespaces/" + ns + "/schedules/nightly/matching-times").get("query"));

        as(owner).body(SCHEDULE.replace("}}}}}", "}}}},\"conflictToken\":\"AAAAAAAAAAE=\"}"))
                .post(base + "/schedules/nightly/update").then().statusCode(200);
        assertEquals("AAAAAAAAAAE=", ((Map<?, ?>) lastCall("POST",
                "/internal/v1/namespaces/" + ns + "/schedules/nightly/update").get("body")).get("conflictToken"));
        as(owner).body("{\"patch\":{\"pause\":\"maintenance\"}}").post(base + "/schedules/nightly/patch")
                .then().statusCode(200);
        assertEquals(Map.of("pause", "maintenance"), ((Map<?, ?>) lastCall("POST",
                "/internal/v1/namespaces/" + ns + "/schedules/nightly/patch").get("body")).get("patch"));
        as(owner).delete(base + "/schedules/nightly").then().statusCode(200);
        assertTrue(((String) lastCall("DELETE", "/internal/v1/namespaces/" + ns + "/schedules/nightly").get("query"))
                .startsWith("identity=user%3A"));

        // the data plane's refusals, with its code and words
        as(owner).get(base + "/schedules/missing-x").then().statusCode(404).body("code", equalTo("NOT_FOUND"))
                .body("message", equalTo("schedule not found"));
        as(owner).body(SCHEDULE).post(base + "/schedules/taken-x").then().statusCode(409)
                .body("code", equalTo("ALREADY_EXISTS")).body("message", containsString("already registered"));

        List<Map<String, Object>> logs = AuditLogRestTest.allLogs(owner, "");
        List<Map<String, Object>> scheduleLogs = logs.stream()
                .filter(log -> "schedule".equals(((Map<?, ?>) log.get("rawDetails")).get("resourceType"))).toList();
        assertEquals(List.of("CreateSchedule FULFILLED", "UpdateSchedule FULFILLED", "PatchSchedule FULFILLED",
                        "DeleteSchedule FULFILLED", "CreateSchedule ALREADY_EXISTS"),
                scheduleLogs.stream().map(log -> log.get("operation") + " " + log.get("status")).toList(),
                "changes only, reads are not logged");
        assertEquals(ns + "/nightly", ((Map<?, ?>) scheduleLogs.get(0).get("rawDetails")).get("resourceId"));
        assertNotNull(((Map<?, ?>) scheduleLogs.get(0).get("principal")).get("apiKeyId"));
    }

    @Test
    void readingNeedsReadOnTheNamespaceAndChangingNeedsWrite() {
        String owner = CloudApi.newAccount("schedrbac");
        String ns = createNamespace(owner, "rbac-" + unique());
        String base = "/cloud/namespaces/" + ns + "/schedules";
        String reader = CloudApi.newUser(owner, "ROLE_DEVELOPER",
                "\"namespaceAccesses\":{\"" + ns + "\":{\"permission\":\"PERMISSION_READ\"}}").token();
        String writer = CloudApi.newUser(owner, "ROLE_DEVELOPER",
                "\"namespaceAccesses\":{\"" + ns + "\":{\"permission\":\"PERMISSION_WRITE\"}}").token();
        String stranger = CloudApi.newUser(owner, "ROLE_DEVELOPER", null).token();
        String otherAccount = CloudApi.newAccount("schedother");

        as(reader).get(base + "/r1").then().statusCode(200);
        as(reader).get(base).then().statusCode(200);
        as(reader).body(SCHEDULE).post(base + "/r1").then().statusCode(403).body("code", equalTo("PERMISSION_DENIED"))
                .body("message", containsString("namespace permission WRITE is required to create schedules"));
        as(reader).body("{\"patch\":{\"triggerImmediately\":{}}}").post(base + "/r1/patch").then().statusCode(403);
        as(reader).delete(base + "/r1").then().statusCode(403);
        as(stranger).get(base + "/r1").then().statusCode(404).body("message", containsString("namespace not found"));
        as(otherAccount).get(base).then().statusCode(404);
        assertTrue(calls("POST", "/internal/v1/namespaces/" + ns + "/schedules/r1").isEmpty(),
                "a refused call never reaches the data plane");

        as(writer).body(SCHEDULE).post(base + "/w1").then().statusCode(200);
        as(writer).body("{\"patch\":{\"triggerImmediately\":{}}}").post(base + "/w1/patch").then().statusCode(200);
        as(writer).delete(base + "/w1").then().statusCode(200);

        List<String> refused = AuditLogRestTest.allLogs(owner, "").stream()
                .filter(log -> "PERMISSION_DENIED".equals(log.get("status")))
                .map(log -> log.get("operation") + " " + ((Map<?, ?>) log.get("rawDetails")).get("resourceId"))
                .toList();
        assertEquals(List.of("CreateSchedule " + ns + "/r1", "PatchSchedule " + ns + "/r1",
                "DeleteSchedule " + ns + "/r1"), refused);
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndAnOutageIsUnavailable() {
        String owner = CloudApi.newAccount("schedbad");
        String ns = createNamespace(owner, "bad-" + unique());
        String base = "/cloud/namespaces/" + ns;
        as(owner).body("{\"schedule\": 7}").post(base + "/schedules/s1").then().statusCode(400)
                .body("field", equalTo("body"))
                .body("message", containsString("temporal.api.workflowservice.v1.CreateScheduleRequest"));
        as(owner).queryParam("start_time", "yesterday").get(base + "/schedules/s1/matching-times").then()
                .statusCode(400).body("field", equalTo("start_time"))
                .body("message", containsString("must be an RFC 3339 time"));
        as(owner).queryParam("next_page_token", "!!").get(base + "/schedules").then().statusCode(400)
                .body("field", equalTo("next_page_token")).body("message", containsString("must be base64"));
        as(owner).queryParam("maximum_page_size", "many").get(base + "/schedules").then().statusCode(400)
                .body("field", equalTo("maximum_page_size"));
        as(owner).queryParam("colour", "red").get(base + "/schedule-count").then().statusCode(400)
                .body("field", equalTo("colour"));

        given().baseUri(dataPlane).put("/_test/outages/" + ns).then().statusCode(200);
        try {
            as(owner).get(base + "/schedules/s1").then().statusCode(503).body("code", equalTo("UNAVAILABLE"))
                    .body("message", containsString("try again"));
        } finally {
            given().baseUri(dataPlane).delete("/_test/outages/" + ns).then().statusCode(200);
        }
    }
}
