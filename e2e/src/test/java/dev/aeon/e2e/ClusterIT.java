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
 * The data plane as a cluster of three nodes ({@code ./aeon dev --data-plane-nodes 3}) behind one address, the
 * history shards spread over them, with a real SDK worker and workflows running through it: workflows that start
 * children, signal and query across nodes; a node killed, a node paused past its lease and resumed, every node
 * restarted in turn. Each time every workflow completes, once, and its history replays.
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
        // Short timeouts: a task handed out by a node as it is killed is lost with it, on Temporal as here, and comes
        // back when its timeout fires; 5 s keeps two such losses in a row inside the 30 s the issue allows.
        private final Step step = Workflow.newActivityStub(Step.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(5))
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

    /** Starts children on whatever shards their ids fall on, then signals a waiting workflow by its id. */
    @WorkflowInterface
    public interface Family {
        @WorkflowMethod
        int run(int children, String waiterId);
    }

    public static class FamilyImpl implements Family {
        @Override
        public int run(int children, String waiterId) {
            List<io.temporal.workflow.Promise<Integer>> results = new ArrayList<>();
            for (int i = 0; i < children; i++) {
                Steps child = Workflow.newChildWorkflowStub(Steps.class, io.temporal.workflow.ChildWorkflowOptions
                        .newBuilder().setWorkflowId(Workflow.getInfo().getWorkflowId() + "-child-" + i).build());
                results.add(io.temporal.workflow.Async.function(child::run, 1));
            }
            int total = 0;
            for (io.temporal.workflow.Promise<Integer> result : results) {
                total += result.get();
            }
            Workflow.newUntypedExternalWorkflowStub(waiterId).signal("go", total);
            return total;
        }
    }

    /** Waits for a signal; answers a query meanwhile. */
    @WorkflowInterface
    public interface Waiter {
        @WorkflowMethod
        int await();

        @io.temporal.workflow.SignalMethod
        void go(int value);

        @io.temporal.workflow.QueryMethod
        String state();
    }

    public static class WaiterImpl implements Waiter {
        private Integer value;

        @Override
        public int await() {
            Workflow.await(() -> value != null);
            return value;
        }

        @Override
        public void go(int value) {
            this.value = value;
        }

        @Override
        public String state() {
            return value == null ? "waiting" : "signalled";
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
    /** The keyspace's shards, as the nodes served them at first. */
    private static int shardCount;

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
        worker.registerWorkflowImplementationTypes(StepsImpl.class, FamilyImpl.class, WaiterImpl.class);
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
    void everyNodeTakesCallsAndServesItsShareOfTheShards() throws Exception {
        // Each shard on exactly one node, and every node with some (4 shards over 3 nodes: 2, 1, 1), once the nodes
        // have all seen each other (a node started first holds every shard until the others join).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<JsonPath> nodes = new ArrayList<>();
            for (int node = 0; node < NODES; node++) {
                nodes.add(shardsCheck(node).orElseThrow(() -> new AssertionError("a node does not answer")));
            }
            List<String> served = new ArrayList<>();
            nodes.forEach(node -> served.addAll(shardList(node)));
            boolean spread = nodes.stream().allMatch(n -> "UP".equals(n.getString("status"))
                    && "owner".equals(n.getString("data.role")) && n.getInt("data.members") == NODES
                    && n.getInt("data.servedShards") >= 1)
                    && served.size() == new java.util.HashSet<>(served).size();
            if (spread) {
                shardCount = served.size();
                break;
            }
            assertTrue(System.nanoTime() < deadline, "shards not spread: " + nodes.stream().map(JsonPath::prettify)
                    .toList());
            Thread.sleep(250);
        }
        assertEquals(3, run(List.of(start(3))).get(0));
    }

    private static List<String> shardList(JsonPath node) {
        String shards = node.getString("data.shards");
        String inner = shards.substring(1, shards.length() - 1).trim();
        return inner.isEmpty() ? List.of() : List.of(inner.split(",\\s*"));
    }

    /**
     * Work between workflows whose shards are on different nodes: a parent starts children (each learns of its
     * parent's shard owner, each reports its close back), then signals a waiting workflow by id; the waiter answers a
     * query first (the worker's answer reaches the node that asked for it). Every history replays.
     */
    @Test
    @Order(2)
    void childrenSignalsAndQueriesCrossNodes() throws Exception {
        String waiterId = "cluster-waiter-" + UUID.randomUUID();
        WorkflowStub waiter = client.newUntypedWorkflowStub("Waiter", WorkflowOptions.newBuilder().setTaskQueue(QUEUE)
                .setWorkflowId(waiterId).build());
        waiter.start();
        assertEquals("waiting", waiter.query("state", String.class));
        String familyId = "cluster-family-" + UUID.randomUUID();
        WorkflowStub family = client.newUntypedWorkflowStub("Family", WorkflowOptions.newBuilder().setTaskQueue(QUEUE)
                .setWorkflowId(familyId).build());
        family.start(6, waiterId);
        assertEquals(6, family.getResultAsync(Integer.class).get(60, TimeUnit.SECONDS));
        assertEquals(6, waiter.getResultAsync(Integer.class).get(30, TimeUnit.SECONDS));
        assertEquals("signalled", waiter.query("state", String.class));
        WorkflowReplayer.replayWorkflowExecution(client.fetchHistory(familyId), FamilyImpl.class);
        WorkflowReplayer.replayWorkflowExecution(client.fetchHistory(waiterId), WaiterImpl.class);
        for (int i = 0; i < 6; i++) {
            WorkflowReplayer.replayWorkflowExecution(client.fetchHistory(familyId + "-child-" + i), StepsImpl.class);
        }
    }

    /**
     * The Go SDK (the one our users' guides are written for) through the cluster's one address: its worker's checks
     * (a workflow with an activity, a long poll past the server's, listing, schedules), its histories replayed.
     */
    @Test
    @Order(3)
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
     * A task queue's backlog is held by the nodes whose shards its tasks belong to; DescribeTaskQueue asked of any one
     * node counts every node's.
     */
    @Test
    @Order(5)
    void everyNodeDescribesTheWholeBacklog() throws Exception {
        String idle = "cluster-unpolled-" + UUID.randomUUID();
        List<WorkflowStub> waiting = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            WorkflowStub stub = client.newUntypedWorkflowStub("Steps", WorkflowOptions.newBuilder().setTaskQueue(idle)
                    .setWorkflowId(idle + "-" + i).build());
            stub.start(1);
            waiting.add(stub);
        }
        try {
            for (int node = 0; node < NODES; node++) {
                WorkflowServiceStubs direct = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions
                        .newBuilder().setTarget("127.0.0.1:" + (7233 + RunningPlatform.PORT_OFFSET + 20 + 2 * node))
                        .addApiKey(() -> platform.env("AEON_API_KEY")).setEnableHttps(false).build());
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    long backlog;
                    do {
                        backlog = direct.blockingStub().describeTaskQueue(
                                io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest.newBuilder()
                                        .setNamespace(platform.env("AEON_NAMESPACE"))
                                        .setTaskQueue(io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName(idle))
                                        .setReportStats(true).build())
                                .getStats().getApproximateBacklogCount();
                    } while (backlog != waiting.size() && System.nanoTime() < deadline && sleep(200));
                    assertEquals(waiting.size(), backlog, "the backlog as node " + node + " describes it");
                } finally {
                    direct.shutdownNow();
                }
            }
        } finally {
            waiting.forEach(stub -> stub.terminate("test over"));
        }
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    /**
     * The control plane reaches the data plane's internal API through one address too: a schedule made on any node
     * is made on the node that owns its shard (the others reach it), and every node describes it.
     */
    @Test
    @Order(4)
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
     * Temporal's Nexus HTTP entry on every node: the request waits on the node it reached, and the handler worker's
     * polls (which wait on every node) find it there.
     */
    @Test
    @Order(6)
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

    /** kill -9 of a node: the others take its shards over within 10 s, and every workflow completes. */
    @Test
    @Order(7)
    void killingANodeLosesNoWorkflow() throws Exception {
        List<WorkflowStub> running = startMany(20, 6);
        Thread.sleep(1_500);
        int victim = 0;
        long killedAt = System.nanoTime();
        ProcessHandle.of(pid(victim)).orElseThrow().destroyForcibly();
        awaitShardsServedWithout(victim, Duration.ofSeconds(10));
        long takeover = System.nanoTime() - killedAt;
        assertTrue(takeover < TimeUnit.SECONDS.toNanos(10), "taken over after " + takeover / 1_000_000 + " ms");
        try {
            assertCompletedOnceAndReplay(running, 6, Duration.ofSeconds(30));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("not complete 30 s after the kill: " + stillRunning(running), e);
        }
        awaitRestarted(victim, -1, Duration.ofSeconds(120));
    }

    /** The workflows among {@code stubs} still running, each with its events, for a failure's message. */
    private static String stillRunning(List<WorkflowStub> stubs) {
        StringBuilder running = new StringBuilder();
        for (WorkflowStub stub : stubs) {
            var execution = stub.getExecution();
            var described = service.blockingStub().describeWorkflowExecution(io.temporal.api.workflowservice.v1
                    .DescribeWorkflowExecutionRequest.newBuilder().setNamespace(platform.env("AEON_NAMESPACE"))
                    .setExecution(execution).build());
            if (described.getWorkflowExecutionInfo().getStatus()
                    == io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
                running.append("\n").append(execution.getWorkflowId()).append(' ').append(execution.getRunId())
                        .append(": ").append(client.fetchHistory(execution.getWorkflowId()).getHistory().getEventsList()
                                .stream().map(e -> e.getEventId() + " " + e.getEventType()).toList())
                        .append(described.hasPendingWorkflowTask() ? " pending " + described.getPendingWorkflowTask()
                                : "").append(described.getPendingActivitiesList());
            }
        }
        return running.toString();
    }

    /**
     * A node paused (SIGSTOP) past its lease is replaced; resumed, its writes are refused by the shards' fence, it
     * retires and is restarted (as Kubernetes' liveness probe would), and rejoins, serving shards again.
     */
    @Test
    @Order(8)
    void aPausedNodeIsFencedAndRejoins() throws Exception {
        awaitAllUp(Duration.ofSeconds(60));
        List<WorkflowStub> running = startMany(10, 6);
        Thread.sleep(1_000);
        int paused = 1;
        long pid = pid(paused);
        signal("STOP", pid);
        try {
            awaitShardsServedWithout(paused, Duration.ofSeconds(20));
        } finally {
            signal("CONT", pid);
        }
        assertCompletedOnceAndReplay(running, 6, Duration.ofSeconds(60));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            Optional<JsonPath> rejoined = shardsCheck(paused);
            if (rejoined.isPresent() && rejoined.get().getLong("data.pid") != pid
                    && "UP".equals(rejoined.get().getString("status")) && rejoined.get().getInt("data.servedShards") > 0) {
                assertEquals("owner", rejoined.get().getString("data.role"));
                break;
            }
            assertTrue(System.nanoTime() < deadline, "the paused node did not rejoin: " + rejoined.map(JsonPath::prettify));
            Thread.sleep(500);
        }
        assertEquals(3, run(List.of(start(3))).get(0));
    }

    /** Every node stopped (SIGTERM) and started again in turn, under load: no workflow fails. */
    @Test
    @Order(9)
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
                .setWorkflowId("cluster-" + UUID.randomUUID()).setWorkflowTaskTimeout(Duration.ofSeconds(5)).build());
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

    private static long pid(int node) {
        return shardsCheck(node).orElseThrow(() -> new AssertionError("node " + node + " does not answer"))
                .getLong("data.pid");
    }

    /** Until the nodes other than {@code gone} serve every shard between them, all ready. */
    private static void awaitShardsServedWithout(int gone, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            int served = 0;
            boolean allUp = true;
            StringBuilder seen = new StringBuilder();
            for (int node = 0; node < NODES; node++) {
                if (node == gone) {
                    continue;
                }
                Optional<JsonPath> check = shardsCheck(node);
                allUp &= check.isPresent() && "UP".equals(check.get().getString("status"));
                served += check.map(c -> c.getInt("data.servedShards")).orElse(0);
                seen.append(check.map(JsonPath::prettify).orElse("node " + node + " silent"));
            }
            if (allUp && served == shardCount) {
                return;
            }
            last = seen.toString();
            Thread.sleep(200);
        }
        throw new AssertionError("the other nodes did not take the shards over within " + within + ": " + last);
    }

    private static void awaitAllUp(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            int up = 0;
            int served = 0;
            for (int node = 0; node < NODES; node++) {
                Optional<JsonPath> check = shardsCheck(node);
                if (check.isPresent() && "UP".equals(check.get().getString("status"))) {
                    up++;
                    served += check.get().getInt("data.servedShards");
                }
            }
            if (up == NODES && served == shardCount) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the nodes were not all up within " + within);
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
