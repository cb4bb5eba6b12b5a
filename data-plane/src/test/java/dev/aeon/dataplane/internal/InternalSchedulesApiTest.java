package dev.aeon.dataplane.internal;

import dev.aeon.auth.InternalToken;
import dev.aeon.dataplane.TestPorts;
import dev.aeon.dataplane.TestTenant;
import dev.aeon.testing.StandInControlPlane;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.temporal.api.workflowservice.v1.DescribeScheduleRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control plane's way to a tenant's schedules: Temporal's schedule RPCs at the paths of Temporal's HTTP mapping
 * under {@code /internal/v1}, in proto3 JSON, acting on the same schedules the SDKs see over gRPC.
 */
@QuarkusTest
class InternalSchedulesApiTest {

    private static RequestSpecification internal() {
        return given().header(InternalToken.HEADER, StandInControlPlane.INTERNAL_TOKEN).contentType(ContentType.JSON);
    }

    private static String schedule(String interval, boolean paused) {
        return """
                {"schedule":{"spec":{"interval":[{"interval":"%s"}]},
                 "action":{"startWorkflow":{"workflowId":"report","workflowType":{"name":"Report"},
                                            "taskQueue":{"name":"reports"}}},
                 "state":{"paused":%s,"notes":"made over HTTP"}}""".formatted(interval, paused);
    }

    @Test
    void withoutTheInternalTokenNoScheduleIsMade() {
        String ns = TestTenant.namespace("sched-auth-" + UUID.randomUUID().toString().substring(0, 6));
        TestTenant.provision(ns);
        given().contentType(ContentType.JSON).body(schedule("60s", true) + ",\"requestId\":\"r1\"}")
                .post("/internal/v1/namespaces/" + ns + "/schedules/nightly")
                .then().statusCode(401);
        internal().get("/internal/v1/namespaces/" + ns + "/schedules/nightly").then().statusCode(404)
                .body("message", equalTo("workflow not found for ID: temporal-sys-scheduler:nightly"));
        internal().body(schedule("60s", true) + ",\"requestId\":\"r1\"}")
                .post("/internal/v1/namespaces/" + ns + "/schedules/nightly").then().statusCode(200);
    }

    @Test
    void aScheduleIsCreatedReadChangedListedAndDeletedOverHttp() {
        String ns = TestTenant.namespace("sched-http-" + UUID.randomUUID().toString().substring(0, 6));
        TestTenant.provision(ns);
        String path = "/internal/v1/namespaces/" + ns + "/schedules/nightly";

        String token = internal().body(schedule("3600s", true) + ",\"requestId\":\"r1\"}").post(path)
                .then().statusCode(200).extract().jsonPath().getString("conflictToken");
        internal().body(schedule("3600s", true) + ",\"requestId\":\"r2\"}").post(path)
                .then().statusCode(409).body("code", equalTo("ALREADY_EXISTS"))
                .body("message", containsString("\"nightly\" is already registered"));

        internal().get(path).then().statusCode(200)
                .body("schedule.spec.interval[0].interval", equalTo("3600s"))
                .body("schedule.state.paused", equalTo(true))
                .body("schedule.state.notes", equalTo("made over HTTP"))
                .body("conflictToken", equalTo(token));
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", TestPorts.FRONTEND).usePlaintext()
                .build();
        try {
            var api = TestTenant.asOwnerOf(TestTenant.ACCOUNT, WorkflowServiceGrpc.newBlockingStub(channel));
            assertEquals("Report", api.describeSchedule(DescribeScheduleRequest.newBuilder().setNamespace(ns)
                            .setScheduleId("nightly").build()).getSchedule().getAction().getStartWorkflow()
                    .getWorkflowType().getName(), "the schedule the SDKs see");
        } finally {
            channel.shutdownNow();
        }

        Instant start = Instant.parse("2030-01-01T00:00:00Z");
        List<String> times = internal().queryParam("start_time", start.toString())
                .queryParam("end_time", start.plusSeconds(3 * 3600).toString())
                .get(path + "/matching-times").then().statusCode(200).extract().jsonPath().getList("startTime");
        assertEquals(List.of("2030-01-01T01:00:00Z", "2030-01-01T02:00:00Z", "2030-01-01T03:00:00Z"), times);

        internal().body(schedule("7200s", true) + ",\"conflictToken\":\"AAAAAAAAAAc=\",\"requestId\":\"u1\"}")
                .post(path + "/update").then().statusCode(400).body("code", equalTo("FAILED_PRECONDITION"))
                .body("message", containsString("conflict token"));
        internal().body(schedule("7200s", true) + ",\"conflictToken\":\"" + token + "\",\"requestId\":\"u2\"}")
                .post(path + "/update").then().statusCode(200);
        // the control plane's bodies repeat the namespace and the id the path names (found by PlatformIT)
        internal().body("{\"namespace\":\"" + ns + "\",\"scheduleId\":\"nightly\",\"patch\":{\"unpause\":"
                + "\"back on\"},\"requestId\":\"p1\"}").post(path + "/patch").then().statusCode(200);
        internal().get(path).then().statusCode(200)
                .body("schedule.spec.interval[0].interval", equalTo("7200s"))
                .body("schedule.state.paused", nullValue()) // proto3 JSON leaves a false out
                .body("schedule.state.notes", equalTo("back on"));

        eventually(() -> internal().queryParam("query", "TemporalSchedulePaused = false")
                .get("/internal/v1/namespaces/" + ns + "/schedules").then().statusCode(200).extract().jsonPath()
                .getList("schedules.scheduleId").equals(List.of("nightly")), "listed");
        eventually(() -> internal().get("/internal/v1/namespaces/" + ns + "/schedule-count").then().statusCode(200)
                .extract().jsonPath().getString("count").equals("1"), "counted");

        internal().queryParam("identity", "ops@example.com").delete(path).then().statusCode(200);
        internal().get(path).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        internal().body("{\"patch\":{\"pause\":\"too late\"}}").post(path + "/patch").then().statusCode(404);
    }

    @Test
    void badRequestsAreRefusedNamingTheFieldAndTheRule() {
        String ns = TestTenant.namespace("sched-bad-" + UUID.randomUUID().toString().substring(0, 6));
        TestTenant.provision(ns);
        String path = "/internal/v1/namespaces/" + ns + "/schedules/s1";
        internal().body("{\"schedule\": 7}").post(path).then().statusCode(400)
                .body("code", equalTo("INVALID_ARGUMENT"))
                .body("message", containsString("body: not proto3 JSON of temporal.api.workflowservice.v1"
                        + ".CreateScheduleRequest"));
        internal().body(schedule("60s", false) + "}").post(path).then().statusCode(400)
                .body("message", containsString("RequestId is not set"));
        internal().queryParam("start_time", "yesterday").get(path + "/matching-times").then().statusCode(400)
                .body("message", containsString("start_time: must be an RFC 3339 time"));
        internal().queryParam("maximum_page_size", "many").get("/internal/v1/namespaces/" + ns + "/schedules")
                .then().statusCode(400).body("message", containsString("maximum_page_size"));
        internal().get("/internal/v1/namespaces/missing-" + ns + "/schedules/s1").then().statusCode(404)
                .body("code", equalTo("NOT_FOUND"));
    }

    private static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not " + what + " within 10 s");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
