package dev.aeon.e2e;

import io.nexusrpc.Operation;
import io.nexusrpc.Service;
import io.nexusrpc.handler.OperationHandler;
import io.nexusrpc.handler.OperationImpl;
import io.nexusrpc.handler.ServiceImpl;
import io.restassured.path.json.JsonPath;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data plane as a cluster of three nodes ({@code ./aeon dev --data-plane-nodes 3}) behind one address, with a
 * real SDK worker and workflows running through it: the leader killed, the leader paused past its lease and resumed,
 * every node restarted in turn. Each time every workflow completes, once, and its history replays.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final int NODES = 3;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @WorkflowInterface
    public interface Steps {
        /** Runs {@code count} activity steps, each followed by a short timer; answers how many ran. */
        @WorkflowMethod
        int run(int count);
    }

    @ActivityInterface
    public interface Step {
        int step(int index);
    }

    public static class StepsImpl implements Steps {
        private final Step step = Workflow.newActivityStub(Step.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(200)).build()).build());

        @Override
        public int run(int count) {
            int done = 0;
            for (int i = 0; i < count; i++) {
                done += step.step(i);
                Workflow.sleep(Duration.ofMillis(300));
            }
            return done;
        }
    }

    @Service
    public interface Hello {
        @Operation
        String hello(String name);
    }

    @ServiceImpl(service = Hello.class)
    public static class HelloImpl {
        @OperationImpl
        public OperationHandler<String, String> hello() {
            return OperationHandler.sync((context, details, name) -> "Hello, " + name);
        }
    }

    public static class StepImpl implements Step {
        @Override
        public int step(int index) {
            return 1;
        }
    }

    private static RunningPlatform platform;
    private static WorkflowServiceStubs service;
    private static WorkflowClient client;
    private static WorkerFactory workers;
    private static final String QUEUE = "cluster-" + UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        platform = RunningPlatform.start("--data-plane-nodes", String.valueOf(NODES));
        service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(platform.env("AEON_ADDRESS")).addApiKey(() -> platform.env("AEON_API_KEY"))
                .setEnableHttps(false).build());
        client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder()
                .setNamespace(platform.env("AEON_NAMESPACE")).build());
        workers = WorkerFactory.newInstance(client);
        Worker worker = workers.newWorker(QUEUE);
        worker.registerWorkflowImplementationTypes(StepsImpl.class);
        worker.registerActivitiesImplementations(new StepImpl());
        worker.registerNexusServiceImplementation(new HelloImpl());
        workers.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (workers != null) {
            workers.shutdownNow();
        }
        if (service != null) {
            service.shutdownNow();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void everyNodeTakesCallsAndOneLeads() throws Exception {
        List<JsonPath> nodes = new ArrayList<>();
        for (int node = 0; node < NODES; node++) {
            nodes.add(shardsCheck(node).orElseThrow(() -> new AssertionError("a node does not answer")));
        }
        assertEquals(1, nodes.stream().filter(n -> "leader".equals(n.getString("data.role"))).count(), nodes.toString());
        nodes.forEach(n -> assertEquals("UP", n.getString("status"), n.prettify()));
        assertEquals(List.of(NODES, NODES, NODES), nodes.stream().map(n -> n.getInt("data.members")).toList());
        assertEquals(3, run(List.of(start(3))).get(0));
    }

    /**
     * The Go SDK (the one our users' guides are written for) through the cluster's one address: its worker's checks
     * (a workflow with an activity, a long poll past the server's, listing, schedules), its histories replayed.
     */
    @Test
    @Order(2)
    void theGoSdkWorksThroughTheCluster() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(RunningPlatform.goInstalled(),
                "Go is not installed: the Go SDK check is skipped");
        RunningPlatform.GoRun worker = platform.runGoWorker(java.util.Map.of(), Duration.ofMinutes(3));
        String output = worker.output();
        assertEquals(0, worker.exitCode(), output);
        assertTrue(output.contains("Hello, Go!"), output);
        assertTrue(output.contains("replay: 3 histories replay in the Go SDK"), output);
        assertTrue(output.contains("visibility: 3 finished workflows listed as completed in the Go SDK"), output);
        assertTrue(output.contains("scheduled workflows started on time and replay in the Go SDK"), output);
    }

    /**
     * The control plane reaches the data plane's internal API through one address too: a schedule made on any node
     * is made by the leader (a node that does not lead relays the call), and every node describes it.
     */
    @Test
    @Order(3)
    void theInternalApiWorksOnEveryNode() throws Exception {
        String token = java.nio.file.Files.readString(java.nio.file.Path.of(platform.env("AEON_DATA_DIR"),
                "internal.token")).trim();
        String namespace = platform.env("AEON_NAMESPACE");
        for (int node = 0; node < NODES; node++) {
            String id = "cluster-schedule-" + node;
            String body = "{\"requestId\":\"" + UUID.randomUUID() + "\",\"schedule\":{\"spec\":{\"interval\":"
                    + "[{\"interval\":\"3600s\"}]},\"action\":{\"startWorkflow\":{\"workflowId\":\"" + id
                    + "-run\",\"workflowType\":{\"name\":\"Steps\"},\"taskQueue\":{\"name\":\"" + QUEUE + "\"}}}}}";
            HttpResponse<String> created = HTTP.send(internal(node, token, "/internal/v1/namespaces/" + namespace
                    + "/schedules/" + id).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, created.statusCode(), "node " + node + ": " + created.body());
            for (int other = 0; other < NODES; other++) {
                HttpResponse<String> described = HTTP.send(internal(other, token, "/internal/v1/namespaces/"
                        + namespace + "/schedules/" + id).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, described.statusCode(), "node " + other + ": " + described.body());
                assertTrue(described.body().contains(id + "-run"), described.body());
            }
            HttpResponse<String> deleted = HTTP.send(internal(node, token, "/internal/v1/namespaces/" + namespace
                    + "/schedules/" + id).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, deleted.statusCode(), deleted.body());
        }
    }

    /**
     * Temporal's Nexus HTTP entry on every node: the handler worker polls the leader, so a node that does not lead
     * relays the request to it, credentials and all, and passes the answer back.
     */
    @Test
    @Order(4)
    void nexusRequestsReachTheHandlerThroughEveryNode() throws Exception {
        String token = java.nio.file.Files.readString(java.nio.file.Path.of(platform.env("AEON_DATA_DIR"),
                "internal.token")).trim();
        String endpointId = "cluster-" + UUID.randomUUID();
        String spec = "{\"accountId\":\"" + platform.env("AEON_ACCOUNT_ID") + "\",\"name\":\"cluster_hello\","
                + "\"targetNamespace\":\"" + platform.env("AEON_NAMESPACE") + "\",\"targetTaskQueue\":\"" + QUEUE
                + "\",\"allowedCallerNamespaces\":[]}";
        HttpResponse<String> provisioned = HTTP.send(internal(0, token, "/internal/v1/nexus-endpoints/" + endpointId)
                .PUT(HttpRequest.BodyPublishers.ofString(spec)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, provisioned.statusCode(), provisioned.body());
        for (int node = 0; node < NODES; node++) {
            // Every node re-reads the endpoints every 2 s: until then the endpoint is not found (404).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            HttpResponse<String> answer = hello(node, endpointId);
            while (answer.statusCode() == 404 && System.nanoTime() < deadline) {
                Thread.sleep(250);
                answer = hello(node, endpointId);
            }
            assertEquals(200, answer.statusCode(), "node " + node + ": " + answer.body());
            assertEquals("\"Hello, node " + node + "\"", answer.body());
        }
    }

    private static HttpResponse<String> hello(int node, String endpointId) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodeHttpPort(node)
                        + "/nexus/endpoints/" + endpointId + "/services/Hello/hello"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + platform.env("AEON_API_KEY"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("\"node " + node + "\"")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder internal(int node, String token, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodeHttpPort(node) + path))
                .timeout(Duration.ofSeconds(30)).header("X-Aeon-Internal-Token", token)
                .header("Content-Type", "application/json");
    }

    /** kill -9 of the leader: another node takes the shards over within 10 s, and every workflow completes. */
    @Test
    @Order(5)
    void killingTheLeaderLosesNoWorkflow() throws Exception {
        List<WorkflowStub> running = startMany(20, 6);
        Thread.sleep(1_500);
        int leader = leader();
        long killedAt = System.nanoTime();
        ProcessHandle.of(pid(leader)).orElseThrow().destroyForcibly();
        int next = awaitLeaderOtherThan(leader, Duration.ofSeconds(10));
        long takeover = System.nanoTime() - killedAt;
        assertTrue(takeover < TimeUnit.SECONDS.toNanos(10), "taken over after " + takeover / 1_000_000 + " ms");
        assertNotEquals(leader, next);
        assertCompletedOnceAndReplay(running, 6, Duration.ofSeconds(30));
    }

    /**
     * A leader paused (SIGSTOP) past its lease is replaced; resumed, its writes are refused by the shards' fence,
     * it retires and is restarted (as Kubernetes' liveness probe would), and rejoins as a forwarding node.
     */
    @Test
    @Order(6)
    void aPausedLeaderIsFencedAndRejoins() throws Exception {
        List<WorkflowStub> running = startMany(10, 6);
        Thread.sleep(1_000);
        int leader = leader();
        long pid = pid(leader);
        signal("STOP", pid);
        int next;
        try {
            next = awaitLeaderOtherThan(leader, Duration.ofSeconds(20));
        } finally {
            signal("CONT", pid);
        }
        assertNotEquals(leader, next);
        assertCompletedOnceAndReplay(running, 6, Duration.ofSeconds(60));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            Optional<JsonPath> rejoined = shardsCheck(leader);
            if (rejoined.isPresent() && rejoined.get().getLong("data.pid") != pid
                    && "UP".equals(rejoined.get().getString("status"))) {
                assertEquals("forwarding", rejoined.get().getString("data.role"));
                break;
            }
            assertTrue(System.nanoTime() < deadline, "the paused node did not rejoin: " + rejoined.map(JsonPath::prettify));
            Thread.sleep(500);
        }
        assertEquals(3, run(List.of(start(3))).get(0));
    }

    /** Every node stopped (SIGTERM) and started again in turn, under load: no workflow fails. */
    @Test
    @Order(7)
    void aRollingRestartFailsNoWorkflow() throws Exception {
        List<WorkflowStub> running = new ArrayList<>(startMany(10, 8));
        for (int node = 0; node < NODES; node++) {
            long pid = pid(node);
            ProcessHandle.of(pid).orElseThrow().destroy();
            awaitRestarted(node, pid, Duration.ofSeconds(120));
            running.addAll(startMany(5, 4));
        }
        assertCompletedOnceAndReplay(running, -1, Duration.ofSeconds(60));
    }

    private static WorkflowStub start(int steps) {
        WorkflowStub stub = client.newUntypedWorkflowStub("Steps", WorkflowOptions.newBuilder().setTaskQueue(QUEUE)
                .setWorkflowId("cluster-" + UUID.randomUUID()).build());
        stub.start(steps);
        return stub;
    }

    private static List<WorkflowStub> startMany(int count, int steps) {
        List<WorkflowStub> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(start(steps));
        }
        return started;
    }

    private static List<Integer> run(List<WorkflowStub> stubs) throws Exception {
        List<Integer> results = new ArrayList<>();
        for (WorkflowStub stub : stubs) {
            results.add(stub.getResultAsync(Integer.class).get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    /**
     * Every workflow completed with all its steps (when {@code steps} is not -1), within {@code within}; its
     * history has each event once, in order, one activity completion per step, and replays in the SDK.
     */
    private static void assertCompletedOnceAndReplay(List<WorkflowStub> stubs, int steps, Duration within)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        List<CompletableFuture<Integer>> results = stubs.stream().map(s -> s.getResultAsync(Integer.class)).toList();
        for (int i = 0; i < stubs.size(); i++) {
            long left = Math.max(1, deadline - System.nanoTime());
            int result = results.get(i).get(left, TimeUnit.NANOSECONDS);
            String workflowId = stubs.get(i).getExecution().getWorkflowId();
            WorkflowExecutionHistory history = client.fetchHistory(workflowId);
            List<HistoryEvent> events = history.getHistory().getEventsList();
            for (int e = 0; e < events.size(); e++) {
                assertEquals(e + 1, events.get(e).getEventId(), workflowId + ": event ids run 1..n without gaps");
            }
            long completions = events.stream()
                    .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED).count();
            assertEquals(result, completions, workflowId + ": one completion per step");
            if (steps >= 0) {
                assertEquals(steps, result, workflowId);
            }
            assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, history.getLastEvent().getEventType());
            WorkflowReplayer.replayWorkflowExecution(history, StepsImpl.class);
        }
    }

    private static int nodeHttpPort(int node) {
        return 7233 + RunningPlatform.PORT_OFFSET + 21 + 2 * node;
    }

    /** The node's "shards" readiness check, or empty when it does not answer (down, paused, starting). */
    private static Optional<JsonPath> shardsCheck(int node) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodeHttpPort(node)
                + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
        try {
            String body = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
            return Optional.of(JsonPath.from(body).setRootPath("checks.find { it.name == 'shards' }"));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static int leader() {
        for (int node = 0; node < NODES; node++) {
            Optional<JsonPath> check = shardsCheck(node);
            if (check.isPresent() && "leader".equals(check.get().getString("data.role"))
                    && "UP".equals(check.get().getString("status"))) {
                return node;
            }
        }
        throw new AssertionError("no node leads");
    }

    private static long pid(int node) {
        return shardsCheck(node).orElseThrow(() -> new AssertionError("node " + node + " does not answer"))
                .getLong("data.pid");
    }

    private static int awaitLeaderOtherThan(int former, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (int node = 0; node < NODES; node++) {
                Optional<JsonPath> check = shardsCheck(node);
                if (node != former && check.isPresent() && "leader".equals(check.get().getString("data.role"))
                        && "UP".equals(check.get().getString("status"))) {
                    return node;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no other node took over within " + within);
    }

    private static void awaitRestarted(int node, long formerPid, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<JsonPath> check = shardsCheck(node);
            if (check.isPresent() && check.get().getLong("data.pid") != formerPid
                    && "UP".equals(check.get().getString("status"))) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("node " + node + " did not come back within " + within);
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start().waitFor());
    }
}
