package dev.aeon.dataplane.sdk;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.aeon.dataplane.TestPorts;
import dev.aeon.dataplane.TestTenant;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.matching.TaskQueues;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.DescribeTaskQueueMode;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.taskqueue.v1.TaskQueuePartitionMetadata;
import io.temporal.api.taskqueue.v1.TaskQueueStats;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.api.workflowservice.v1.GetClusterInfoRequest;
import io.temporal.api.workflowservice.v1.GetClusterInfoResponse;
import io.temporal.api.workflowservice.v1.ListTaskQueuePartitionsRequest;
import io.temporal.api.workflowservice.v1.ListTaskQueuePartitionsResponse;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DescribeTaskQueue, ListTaskQueuePartitions and GetClusterInfo through Temporal's own stubs, with a real Java SDK
 * worker polling, answered as Temporal's server 1.29 answers them (recorded from {@code temporal server start-dev}).
 */
@QuarkusTest
class TaskQueueDescribeTest {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    static final String NAMESPACE = TestTenant.namespace("tq-describe");
    static final String NEIGHBOUR = TestTenant.namespace("tq-neighbour");
    static final String POLLED = "polled-" + SUFFIX;
    static final String IDENTITY = "describe-worker-" + SUFFIX;

    @WorkflowInterface
    public interface AwaitsGo {
        @WorkflowMethod
        String run();

        @SignalMethod
        void go();
    }

    @ActivityInterface
    public interface Echo {
        String echo(String value);
    }

    public static class AwaitsGoImpl implements AwaitsGo {
        private boolean go;

        @Override
        public String run() {
            Workflow.await(() -> go);
            return Workflow.newActivityStub(Echo.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10)).build()).echo("done");
        }

        @Override
        public void go() {
            go = true;
        }
    }

    public static class EchoImpl implements Echo {
        @Override
        public String echo(String value) {
            return value;
        }
    }

    @Inject
    TaskQueues matching;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "aeon.data-plane.visibility.enabled")
    boolean visibilityEnabled;

    static WorkflowServiceStubs service;
    static WorkflowClient client;
    static WorkerFactory workers;

    @BeforeAll
    static void startWorker() {
        TestTenant.provision(NAMESPACE);
        TestTenant.provision(NEIGHBOUR);
        service = TestTenant.connect(SdkHarness.TARGET);
        client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE)
                .setIdentity(IDENTITY).build());
        workers = WorkerFactory.newInstance(client);
        var worker = workers.newWorker(POLLED, WorkerOptions.newBuilder().setMaxTaskQueueActivitiesPerSecond(50).build());
        worker.registerWorkflowImplementationTypes(AwaitsGoImpl.class);
        worker.registerActivitiesImplementations(new EchoImpl());
        workers.start();
    }

    @AfterAll
    static void stopWorker() {
        workers.shutdownNow();
        service.shutdownNow();
    }

    private static WorkflowServiceBlockingStub stub() {
        return service.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static DescribeTaskQueueResponse describe(String namespace, String queue, TaskQueueType type,
                                                      boolean status, boolean stats) {
        return stub().describeTaskQueue(DescribeTaskQueueRequest.newBuilder().setNamespace(namespace)
                .setTaskQueue(TaskQueue.newBuilder().setName(queue)).setTaskQueueType(type)
                .setIncludeTaskQueueStatus(status).setReportStats(stats).build());
    }

    private static <T> T await(Supplier<T> value, java.util.function.Predicate<T> until) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        T last = value.get();
        while (!until.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = value.get();
        }
        assertTrue(until.test(last), "never came: " + last);
        return last;
    }

    private static PollerInfo onlyPoller(DescribeTaskQueueResponse response) {
        assertEquals(1, response.getPollersCount(), response.toString());
        return response.getPollers(0);
    }

    @Test
    @SuppressWarnings("deprecation") // versioning_info.current_version: what Temporal still answers
    void describeListsTheWorkerPollingEachTypeWithItsIdentityAndRate() throws InterruptedException {
        for (TaskQueueType type : List.of(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)) {
            PollerInfo poller = onlyPoller(await(() -> describe(NAMESPACE, POLLED, type, false, false),
                    response -> response.getPollersCount() > 0));

            assertEquals(IDENTITY, poller.getIdentity());
            Instant lastAccess = Instant.ofEpochMilli(Timestamps.toMillis(poller.getLastAccessTime()));
            assertTrue(Duration.between(lastAccess, Instant.now()).abs().toSeconds() < 70, lastAccess.toString());
            // The activity worker asked for 50 tasks/s; workflow polls carry no rate: Temporal's default.
            assertEquals(type == TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY ? 50 : 100_000, poller.getRatePerSecond());
        }
        DescribeTaskQueueResponse unspecified = describe(NAMESPACE, POLLED, TaskQueueType.TASK_QUEUE_TYPE_UNSPECIFIED,
                false, false);
        assertEquals(IDENTITY, onlyPoller(unspecified).getIdentity(), "unspecified type: the workflow queue");
        assertEquals("__unversioned__", unspecified.getVersioningInfo().getCurrentVersion());
        assertEquals(100_000, unspecified.getEffectiveRateLimit().getRequestsPerSecond());
        assertFalse(unspecified.hasTaskQueueStatus(), "asked for no status");
        assertFalse(unspecified.hasStats(), "asked for no stats");

        // What `temporal task-queue describe` asks by default: both types under the unversioned build id.
        DescribeTaskQueueResponse enhanced = stub().describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
                .setNamespace(NAMESPACE).setTaskQueue(TaskQueue.newBuilder().setName(POLLED))
                .setApiMode(DescribeTaskQueueMode.DESCRIBE_TASK_QUEUE_MODE_ENHANCED)
                .setReportPollers(true).setReportStats(true).build());
        var types = enhanced.getVersionsInfoOrThrow("").getTypesInfoMap();
        assertEquals(2, types.size(), enhanced.toString());
        for (int type : List.of(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW_VALUE, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY_VALUE)) {
            assertEquals(IDENTITY, types.get(type).getPollers(0).getIdentity());
            assertTrue(types.get(type).getStats().hasApproximateBacklogAge());
        }
    }

    @Test
    void backlogCountAndAgeOfWorkflowsNoWorkerTook() throws InterruptedException {
        String queue = "backlog-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            stub().startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                    .setWorkflowId("backlog-" + i + "-" + queue).setRequestId(UUID.randomUUID().toString())
                    .setWorkflowType(WorkflowType.newBuilder().setName("Nobody"))
                    .setTaskQueue(TaskQueue.newBuilder().setName(queue)).build());
        }
        Thread.sleep(1100);

        DescribeTaskQueueResponse workflow = describe(NAMESPACE, queue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, true, true);

        assertEquals(0, workflow.getPollersCount());
        TaskQueueStats stats = workflow.getStats();
        assertEquals(3, stats.getApproximateBacklogCount(), workflow.toString());
        long ageMillis = Durations.toMillis(stats.getApproximateBacklogAge());
        assertTrue(ageMillis >= 1000 && ageMillis < 60_000, "age of the oldest: " + ageMillis);
        assertTrue(stats.getTasksAddRate() > 0, workflow.toString());
        assertEquals(0, stats.getTasksDispatchRate());
        assertEquals(stats, workflow.getStatsByPriorityKeyOrThrow(3), "every task has the default priority");
        assertEquals(3, workflow.getTaskQueueStatus().getBacklogCountHint());

        DescribeTaskQueueResponse activity = describe(NAMESPACE, queue, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY, true, true);
        assertEquals(0, activity.getStats().getApproximateBacklogCount());
        assertTrue(activity.getStats().hasApproximateBacklogAge(), "Temporal sets a zero age: " + activity);
        assertEquals(0, Durations.toNanos(activity.getStats().getApproximateBacklogAge()));
    }

    @Test
    void anUnknownQueueIsDescribedEmptyAndDescribingItLoadsNothing() {
        String queue = "unknown-" + UUID.randomUUID();

        DescribeTaskQueueResponse described = describe(NAMESPACE, queue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
                true, true);

        assertEquals(0, described.getPollersCount());
        assertEquals(0, described.getStats().getApproximateBacklogCount());
        assertTrue(described.getStats().hasApproximateBacklogAge());
        assertEquals(0, described.getTaskQueueStatus().getBacklogCountHint());
        assertTrue(described.getTaskQueueStatus().getRatePerSecond() > 0);
        assertFalse(matching.isLoaded(namespaceId(NAMESPACE), queue, DispatchTask.Kind.WORKFLOW));
    }

    @Test
    void aWorkersStickyQueueIsDescribedWithItsPoller() throws InterruptedException {
        AwaitsGo workflow = client.newWorkflowStub(AwaitsGo.class, WorkflowOptions.newBuilder()
                .setTaskQueue(POLLED).setWorkflowId("sticky-" + UUID.randomUUID()).build());
        WorkflowExecution execution = WorkflowClient.start(workflow::run);
        Thread.sleep(500);
        workflow.go();
        assertEquals("done", WorkflowStub.fromTyped(workflow).getResult(String.class));
        TaskQueue sticky = client.fetchHistory(execution.getWorkflowId(), execution.getRunId()).getEvents().stream()
                .filter(HistoryEvent::hasWorkflowTaskScheduledEventAttributes)
                .map(event -> event.getWorkflowTaskScheduledEventAttributes().getTaskQueue())
                .filter(queue -> queue.getKind() == TaskQueueKind.TASK_QUEUE_KIND_STICKY)
                .findFirst().orElseThrow();

        DescribeTaskQueueRequest.Builder request = DescribeTaskQueueRequest.newBuilder().setNamespace(NAMESPACE)
                .setTaskQueue(sticky).setIncludeTaskQueueStatus(true);
        DescribeTaskQueueResponse described = stub().describeTaskQueue(request.build());

        assertEquals(IDENTITY, onlyPoller(described).getIdentity());
        assertFalse(described.hasVersioningInfo(), "a sticky queue has no versioning of its own");
        assertTrue(described.hasTaskQueueStatus());
        StatusRuntimeException stats = assertThrows(StatusRuntimeException.class,
                () -> stub().describeTaskQueue(request.setReportStats(true).build()));
        assertInvalid("DescribeTaskQueue stats are only supported for the root partition", stats);
        StatusRuntimeException enhanced = assertThrows(StatusRuntimeException.class,
                () -> stub().describeTaskQueue(request.setReportStats(false)
                        .setApiMode(DescribeTaskQueueMode.DESCRIBE_TASK_QUEUE_MODE_ENHANCED).build()));
        assertInvalid("Enhanced DescribeTaskQueue is not valid for a sticky queue, use api_mode=UNSPECIFIED or a"
                + " normal queue.", enhanced);
    }

    @Test
    void badRequestsAreRefusedWithTemporalsWords() {
        DescribeTaskQueueRequest.Builder request = DescribeTaskQueueRequest.newBuilder().setNamespace(NAMESPACE);
        assertInvalid("taskQueue is not set",
                assertThrows(StatusRuntimeException.class, () -> stub().describeTaskQueue(request.build())));
        assertInvalid("missing task queue name", assertThrows(StatusRuntimeException.class,
                () -> stub().describeTaskQueue(request.setTaskQueue(TaskQueue.getDefaultInstance()).build())));
        assertInvalid("invalid task queue partition name /_sys/orders", assertThrows(StatusRuntimeException.class,
                () -> stub().describeTaskQueue(request.setTaskQueue(TaskQueue.newBuilder().setName("/_sys/orders"))
                        .build())));
        assertInvalid("only sticky queues can have normal name. tq: orders, normal name: x",
                assertThrows(StatusRuntimeException.class, () -> stub().describeTaskQueue(request
                        .setTaskQueue(TaskQueue.newBuilder().setName("orders").setNormalName("x")).build())));

        // A partition Aeon does not have (it keeps one per queue) is described empty, as Temporal describes a
        // partition nothing reached; stats exist only for the whole queue.
        DescribeTaskQueueRequest.Builder partition = DescribeTaskQueueRequest.newBuilder().setNamespace(NAMESPACE)
                .setTaskQueue(TaskQueue.newBuilder().setName("/_sys/" + POLLED + "/1"));
        assertEquals(0, stub().describeTaskQueue(partition.build()).getPollersCount());
        assertInvalid("DescribeTaskQueue stats are only supported for the root partition", assertThrows(
                StatusRuntimeException.class, () -> stub().describeTaskQueue(partition.setReportStats(true).build())));

        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> describe(
                TestTenant.namespace("nope-" + SUFFIX), POLLED, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, false, false));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
    }

    @Test
    void noCallerSeesAnotherNamespacesQueues() throws InterruptedException {
        await(() -> describe(NAMESPACE, POLLED, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, false, false),
                response -> response.getPollersCount() > 0);

        // The same queue name in another namespace of the same account is another queue.
        assertEquals(0, describe(NEIGHBOUR, POLLED, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, false, false)
                .getPollersCount());

        // Another account's key cannot describe this account's queues, nor list their partitions.
        WorkflowServiceStubs strangers = TestTenant.connect(SdkHarness.TARGET, TestTenant.ownerKey("stranger-" + SUFFIX));
        WorkflowServiceBlockingStub stranger = strangers.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS);
        StatusRuntimeException describe = assertThrows(StatusRuntimeException.class, () -> stranger.describeTaskQueue(
                DescribeTaskQueueRequest.newBuilder().setNamespace(NAMESPACE)
                        .setTaskQueue(TaskQueue.newBuilder().setName(POLLED)).build()));
        assertEquals(Status.Code.NOT_FOUND, describe.getStatus().getCode(), describe.toString());
        StatusRuntimeException partitions = assertThrows(StatusRuntimeException.class,
                () -> stranger.listTaskQueuePartitions(ListTaskQueuePartitionsRequest.newBuilder()
                        .setNamespace(NAMESPACE).setTaskQueue(TaskQueue.newBuilder().setName(POLLED)).build()));
        assertEquals(Status.Code.NOT_FOUND, partitions.getStatus().getCode(), partitions.toString());
        strangers.shutdownNow();
    }

    @Test
    void aTaskQueueHasOnePartitionOfEachTypeOwnedByThisNode() {
        ListTaskQueuePartitionsResponse partitions = stub().listTaskQueuePartitions(ListTaskQueuePartitionsRequest
                .newBuilder().setNamespace(NAMESPACE).setTaskQueue(TaskQueue.newBuilder().setName(POLLED)).build());

        for (List<TaskQueuePartitionMetadata> ofType : List.of(partitions.getWorkflowTaskQueuePartitionsList(),
                partitions.getActivityTaskQueuePartitionsList())) {
            assertEquals(1, ofType.size(), partitions.toString());
            assertEquals(POLLED, ofType.get(0).getKey());
            assertTrue(ofType.get(0).getOwnerHostName().endsWith(":" + TestPorts.FRONTEND), partitions.toString());
        }
        ListTaskQueuePartitionsRequest.Builder bad = ListTaskQueuePartitionsRequest.newBuilder()
                .setNamespace(NAMESPACE);
        assertInvalid("missing task queue name", assertThrows(StatusRuntimeException.class,
                () -> stub().listTaskQueuePartitions(bad.setTaskQueue(TaskQueue.getDefaultInstance()).build())));
        assertInvalid("task queue name cannot start with reserved prefix /_sys/", assertThrows(
                StatusRuntimeException.class, () -> stub().listTaskQueuePartitions(bad.setTaskQueue(
                        TaskQueue.newBuilder().setName("/_sys/" + POLLED + "/1")).build())));
    }

    @Test
    void clusterInfoIsFilledAsTemporalFillsIt() {
        GetClusterInfoResponse info = stub().getClusterInfo(GetClusterInfoRequest.getDefaultInstance());

        assertEquals("<2.0.0", info.getSupportedClientsOrThrow("temporal-java"));
        assertEquals("<3.0.0", info.getSupportedClientsOrThrow("temporal-ui"));
        assertEquals(8, info.getSupportedClientsCount());
        assertEquals(stub().getSystemInfo(io.temporal.api.workflowservice.v1.GetSystemInfoRequest.getDefaultInstance())
                .getServerVersion(), info.getServerVersion());
        assertEquals("active", info.getClusterName());
        assertEquals(info.getClusterId(), UUID.fromString(info.getClusterId()).toString());
        assertEquals(16, info.getHistoryShardCount());
        assertEquals("cassandra", info.getPersistenceStore());
        assertEquals(1, info.getInitialFailoverVersion());
        assertEquals(10, info.getFailoverVersionIncrement());
        assertEquals(visibilityEnabled ? "postgres12" : "", info.getVisibilityStore());
        // Any account's key may ask: it describes the deployment, no tenant's data.
        WorkflowServiceStubs strangers = TestTenant.connect(SdkHarness.TARGET, TestTenant.ownerKey("stranger-" + SUFFIX));
        assertEquals(info, strangers.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
                .getClusterInfo(GetClusterInfoRequest.getDefaultInstance()));
        strangers.shutdownNow();
    }

    private static void assertInvalid(String message, StatusRuntimeException refused) {
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode(), refused.toString());
        assertEquals(message, refused.getStatus().getDescription());
    }

    private static String namespaceId(String namespace) {
        return stub().describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build())
                .getNamespaceInfo().getId();
    }
}
