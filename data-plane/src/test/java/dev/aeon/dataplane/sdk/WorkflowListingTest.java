package dev.aeon.dataplane.sdk;

import com.google.protobuf.ByteString;
import dev.aeon.dataplane.TestTenant;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.filter.v1.StartTimeFilter;
import io.temporal.api.filter.v1.StatusFilter;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DeleteWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionCount;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Visibility through the real Java SDK: the records follow the workflows (start, each way of closing,
 * continue-as-new, reset, deletion), and list, count, scan and the legacy open/closed lists read them with Temporal's
 * query language, in one namespace only.
 */
@QuarkusTest
class WorkflowListingTest {

    private static final String NAMESPACE = TestTenant.namespace("listing-" + UUID.randomUUID().toString().substring(0, 8));
    private static final String TASK_QUEUE = "listing";
    private static final SearchAttributeKey<String> COLOR = SearchAttributeKey.forKeyword("Color");
    private static final SearchAttributeKey<Long> SIZE = SearchAttributeKey.forLong("Size");
    private static final SearchAttributeKey<String> KW = SearchAttributeKey.forKeyword("Kw");
    private static final SearchAttributeKey<String> TXT = SearchAttributeKey.forText("Txt");
    private static final SearchAttributeKey<Long> NUM = SearchAttributeKey.forLong("Num");
    private static final SearchAttributeKey<Double> DBL = SearchAttributeKey.forDouble("Dbl");
    private static final SearchAttributeKey<Boolean> FLAG = SearchAttributeKey.forBoolean("Flag");
    private static final SearchAttributeKey<OffsetDateTime> WHEN = SearchAttributeKey.forOffsetDateTime("When");
    private static final SearchAttributeKey<List<String>> TAGS = SearchAttributeKey.forKeywordList("Tags");

    @WorkflowInterface
    public interface Countdown {
        @WorkflowMethod
        String count(int from);
    }

    public static class CountdownImpl implements Countdown {
        @Override
        public String count(int from) {
            if (from > 0) {
                Workflow.continueAsNew(from - 1);
            }
            Workflow.upsertTypedSearchAttributes(COLOR.valueSet("landed"));
            return "landed";
        }
    }

    @WorkflowInterface
    public interface Waiter {
        @WorkflowMethod
        void await();

        @SignalMethod
        void release();
    }

    public static class WaiterImpl implements Waiter {
        private boolean released;

        @Override
        public void await() {
            Workflow.await(() -> released);
        }

        @Override
        public void release() {
            released = true;
        }
    }

    static SdkHarness sdk;
    static WorkflowServiceGrpc.WorkflowServiceBlockingStub api;

    @BeforeAll
    static void start() {
        sdk = SdkHarness.start(NAMESPACE, TASK_QUEUE, worker -> {
            worker.registerWorkflowImplementationTypes(CountdownImpl.class, WaiterImpl.class,
                    HelloActivityTest.GreetingImpl.class);
            worker.registerActivitiesImplementations(new HelloActivityTest.GreeterImpl());
        });
        api = sdk.service.blockingStub();
        // After the harness's own provisioning, which registers no attributes.
        TestTenant.provision(NAMESPACE, Map.of("Color", "Keyword", "Size", "Int", "Kw", "Keyword", "Txt", "Text",
                "Num", "Int", "Dbl", "Double", "Flag", "Bool", "When", "Datetime", "Tags", "KeywordList"));
    }

    @AfterAll
    static void stop() {
        sdk.close();
    }

    @Test
    void listsAndCountsFollowTheWorkflows() {
        Instant before = Instant.now();
        WorkflowClient client = sdk.client;
        assertEquals("landed", client.newWorkflowStub(Countdown.class, options("countdown")
                .setTypedSearchAttributes(SearchAttributes.newBuilder().set(COLOR, "blue").set(SIZE, 7L).build())
                .build()).count(2));
        Waiter waiting = client.newWorkflowStub(Waiter.class, options("waiting")
                .setTypedSearchAttributes(SearchAttributes.newBuilder().set(COLOR, "red").set(SIZE, 3L).build())
                .build());
        WorkflowClient.start(waiting::await);
        Waiter terminated = client.newWorkflowStub(Waiter.class, options("terminated").build());
        WorkflowClient.start(terminated::await);
        WorkflowStub.fromTyped(terminated).terminate("enough");

        // Other tests of this class share the namespace: every query here is scoped to this test's workflows.
        String mine = "WorkflowId IN ('countdown', 'waiting', 'terminated')";
        eventually(() -> client.countWorkflows(mine).getCount() == 5
                && ids(mine + " AND ExecutionStatus = 'Terminated'").size() == 1);

        assertEquals(List.of("waiting"), ids(mine + " AND ExecutionStatus = 'Running'"));
        assertEquals(List.of("countdown", "countdown", "countdown"), ids("WorkflowId = 'countdown'"));
        // The first run's attributes carry over continue-as-new (the SDK copies them); the last upserted its own.
        assertEquals(List.of("countdown", "countdown"), ids("Color = 'blue' AND Size >= 7"));
        assertEquals(List.of("countdown"), ids("Color = 'landed'"));
        assertEquals(List.of("waiting"), ids("Color IN ('red', 'green') AND Size < 5"));
        assertEquals(Set.of("terminated", "waiting"), new HashSet<>(ids(mine + " AND WorkflowType = 'Waiter'")));
        assertEquals(List.of("terminated"), ids("Color IS NULL AND WorkflowId STARTS_WITH 'term'"));

        WorkflowExecutionMetadata landed = client.listExecutions("Color = 'landed'").findFirst().orElseThrow();
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, landed.getStatus());
        assertEquals("Countdown", landed.getWorkflowType());
        assertEquals(TASK_QUEUE, landed.getTaskQueue());
        assertEquals("landed", landed.getTypedSearchAttributes().get(COLOR));
        assertTrue(landed.getCloseTime() != null && !landed.getCloseTime().isBefore(landed.getStartTime()));
        assertTrue(landed.getHistoryLength() > 0);

        WorkflowExecutionCount byStatus = client.countWorkflows(mine + " GROUP BY ExecutionStatus");
        assertEquals(5, byStatus.getCount());
        Map<String, Long> counts = new TreeMap<>();
        byStatus.getGroups().forEach(group -> counts.put(group.getGroupValues().get(0).get(0).toString(), group.getCount()));
        assertEquals(Map.of("Completed", 1L, "ContinuedAsNew", 2L, "Running", 1L, "Terminated", 1L), counts);

        // The legacy lists: open by start time, closed by close time, and their filters.
        StartTimeFilter sinceBefore = StartTimeFilter.newBuilder()
                .setEarliestTime(com.google.protobuf.util.Timestamps.fromMillis(before.toEpochMilli())).build();
        assertEquals(List.of("waiting"), ids(api.listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest.newBuilder()
                .setNamespace(NAMESPACE).setStartTimeFilter(sinceBefore).build()).getExecutionsList()));
        assertEquals(List.of(), ids(api.listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest.newBuilder()
                .setNamespace(NAMESPACE).setTypeFilter(WorkflowTypeFilter.newBuilder().setName("Countdown"))
                .build()).getExecutionsList()));
        assertEquals(List.of("terminated"), ids(api.listClosedWorkflowExecutions(ListClosedWorkflowExecutionsRequest
                .newBuilder().setNamespace(NAMESPACE).setStartTimeFilter(sinceBefore)
                .setStatusFilter(StatusFilter.newBuilder()
                        .setStatus(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED)).build())
                .getExecutionsList()));
        assertEquals(List.of("terminated", "countdown", "countdown", "countdown"), ids(api.listClosedWorkflowExecutions(
                ListClosedWorkflowExecutionsRequest.newBuilder().setNamespace(NAMESPACE).setStartTimeFilter(sinceBefore)
                        .build()).getExecutionsList()));
        StatusRuntimeException running = assertThrows(StatusRuntimeException.class, () -> api
                .listClosedWorkflowExecutions(ListClosedWorkflowExecutionsRequest.newBuilder().setNamespace(NAMESPACE)
                        .setStatusFilter(StatusFilter.newBuilder()
                                .setStatus(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, running.getStatus().getCode());

        // Closing and deleting show as soon as they are committed and the outbox has run.
        waiting.release();
        eventually(() -> ids(mine + " AND ExecutionStatus = 'Running'").isEmpty());
        WorkflowExecution countdownLast = landed.getExecution();
        api.deleteWorkflowExecution(DeleteWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                .setWorkflowExecution(countdownLast).build());
        eventually(() -> ids("Color = 'landed'").isEmpty());
        assertEquals(4, client.countWorkflows(mine).getCount());
    }

    @Test
    void aResetShowsTheReplacedRunTerminatedAndTheNewRunRunning() {
        Waiter waiter = sdk.client.newWorkflowStub(Waiter.class, options("reset-me").build());
        WorkflowExecution base = WorkflowClient.start(waiter::await);
        eventually(() -> ids("WorkflowId = 'reset-me' AND ExecutionStatus = 'Running'").size() == 1);
        // The first workflow task is completed (event 4) once the run is listed as waiting.
        eventually(() -> sdk.client.fetchHistory("reset-me").getHistory().getEventsCount() >= 4);

        String resetRunId = api.resetWorkflowExecution(ResetWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowExecution(base).setWorkflowTaskFinishEventId(4)
                .setReason("listing a reset").setRequestId(UUID.randomUUID().toString()).build()).getRunId();

        // The base run's close and the new run's start are separate records, written in either order.
        eventually(() -> ids("WorkflowId = 'reset-me' AND ExecutionStatus = 'Terminated'").size() == 1
                && ids("WorkflowId = 'reset-me' AND ExecutionStatus = 'Running'").size() == 1);
        List<WorkflowExecutionMetadata> running = sdk.client
                .listExecutions("WorkflowId = 'reset-me' AND ExecutionStatus = 'Running'").toList();
        assertEquals(List.of(resetRunId), running.stream().map(run -> run.getExecution().getRunId()).toList());
        assertEquals(List.of(base.getRunId()), sdk.client
                .listExecutions("WorkflowId = 'reset-me' AND ExecutionStatus = 'Terminated'")
                .map(run -> run.getExecution().getRunId()).toList());
        sdk.client.newWorkflowStub(Waiter.class, "reset-me").release();
        eventually(() -> ids("WorkflowId = 'reset-me' AND ExecutionStatus = 'Completed'").size() == 1);
    }

    @Test
    void aDelayedStartIsListedWithItsExecutionTime() {
        Waiter delayed = sdk.client.newWorkflowStub(Waiter.class, options("delayed")
                .setStartDelay(java.time.Duration.ofHours(1)).build());
        WorkflowClient.start(delayed::await);
        Instant halfAnHourOn = Instant.now().plus(java.time.Duration.ofMinutes(30));
        eventually(() -> ids("WorkflowId = 'delayed'").size() == 1);

        WorkflowExecutionMetadata listed = sdk.client.listExecutions("WorkflowId = 'delayed'").findFirst().orElseThrow();
        assertEquals(java.time.Duration.ofHours(1),
                java.time.Duration.between(listed.getStartTime(), listed.getExecutionTime()));
        assertEquals(List.of("delayed"), ids("WorkflowId = 'delayed' AND ExecutionTime > '" + halfAnHourOn + "'"));
        assertEquals(listed.getExecutionTime(), sdk.client.newUntypedWorkflowStub("delayed").describe()
                .getExecutionTime());
        WorkflowStub.fromTyped(delayed).terminate("done looking");
        eventually(() -> ids("WorkflowId = 'delayed' AND ExecutionStatus = 'Terminated'").size() == 1);
        // Closed before its first task was due: no time spent executing.
        assertEquals(java.time.Duration.ZERO, sdk.client.listExecutions("WorkflowId = 'delayed'").findFirst()
                .orElseThrow().getExecutionDuration());
    }

    /**
     * Every operator on every type of custom attribute, through the SDK: two running workflows with one value of each
     * type, and for each query the ones it must match.
     */
    @Test
    void everyOperatorOnEveryType() {
        start("typed-a", SearchAttributes.newBuilder().set(KW, "alpha").set(TXT, "quick brown fox").set(NUM, 10L)
                .set(DBL, 1.5).set(FLAG, true).set(WHEN, OffsetDateTime.parse("2026-01-01T00:00:00Z"))
                .set(TAGS, List.of("red", "blue")).build());
        start("typed-b", SearchAttributes.newBuilder().set(KW, "beta").set(TXT, "lazy dog").set(NUM, 20L)
                .set(DBL, 2.5).set(FLAG, false).set(WHEN, OffsetDateTime.parse("2026-06-01T00:00:00Z"))
                .set(TAGS, List.of("green")).build());
        eventually(() -> ids("WorkflowId STARTS_WITH 'typed-' AND Kw IS NOT NULL").size() == 2);

        Map<String, Set<String>> expected = new java.util.LinkedHashMap<>();
        expected.put("Kw = 'alpha'", Set.of("typed-a"));
        expected.put("Kw != 'alpha'", Set.of("typed-b"));
        expected.put("Kw > 'alpha'", Set.of("typed-b"));
        expected.put("Kw >= 'alpha'", Set.of("typed-a", "typed-b"));
        expected.put("Kw < 'beta'", Set.of("typed-a"));
        expected.put("Kw <= 'alpha'", Set.of("typed-a"));
        expected.put("Kw IN ('alpha', 'gamma')", Set.of("typed-a"));
        expected.put("Kw NOT IN ('alpha')", Set.of("typed-b"));
        expected.put("Kw BETWEEN 'a' AND 'alz'", Set.of("typed-a"));
        expected.put("Kw STARTS_WITH 'be'", Set.of("typed-b"));
        expected.put("Kw IS NULL", Set.of());
        expected.put("`Kw` IS NOT NULL", Set.of("typed-a", "typed-b"));
        expected.put("Txt = 'fox'", Set.of("typed-a"));
        expected.put("Txt != 'fox'", Set.of("typed-b"));
        expected.put("Num = 10", Set.of("typed-a"));
        expected.put("Num != 10", Set.of("typed-b"));
        expected.put("Num > 10", Set.of("typed-b"));
        expected.put("Num <= 20", Set.of("typed-a", "typed-b"));
        expected.put("Num BETWEEN 15 AND 25", Set.of("typed-b"));
        expected.put("Num IN (10, 30)", Set.of("typed-a"));
        expected.put("Dbl < 2", Set.of("typed-a"));
        expected.put("Dbl >= 2.5", Set.of("typed-b"));
        expected.put("Dbl BETWEEN 1 AND 2", Set.of("typed-a"));
        expected.put("Flag = true", Set.of("typed-a"));
        expected.put("Flag = false", Set.of("typed-b"));
        expected.put("Flag != true", Set.of("typed-b"));
        expected.put("When = '2026-01-01T00:00:00Z'", Set.of("typed-a"));
        expected.put("When < '2026-03-01T00:00:00Z'", Set.of("typed-a"));
        expected.put("When BETWEEN '2026-05-01T00:00:00Z' AND '2026-07-01T00:00:00Z'", Set.of("typed-b"));
        expected.put("Tags = 'red'", Set.of("typed-a"));
        expected.put("Tags != 'red'", Set.of("typed-b"));
        expected.put("Tags IN ('green', 'yellow')", Set.of("typed-b"));
        expected.put("Tags NOT IN ('red', 'green')", Set.of());
        expected.put("(Kw = 'alpha' OR Num = 20) AND Flag = true", Set.of("typed-a"));
        expected.put("Kw = 'beta' OR Tags = 'red'", Set.of("typed-a", "typed-b"));
        Map<String, Set<String>> actual = new java.util.LinkedHashMap<>();
        expected.keySet().forEach(query -> actual.put(query,
                new HashSet<>(ids("WorkflowId STARTS_WITH 'typed-' AND (" + query + ")"))));
        assertEquals(expected, actual);
        // The SDK reads each type back as it was set.
        WorkflowExecutionMetadata a = sdk.client.listExecutions("WorkflowId = 'typed-a'").findFirst().orElseThrow();
        assertEquals(OffsetDateTime.parse("2026-01-01T00:00:00Z").toInstant(),
                a.getTypedSearchAttributes().get(WHEN).toInstant());
        assertEquals(List.of("red", "blue"), a.getTypedSearchAttributes().get(TAGS));
        assertEquals(1.5, a.getTypedSearchAttributes().get(DBL));
        assertEquals(true, a.getTypedSearchAttributes().get(FLAG));
        WorkflowStub.fromTyped(sdk.client.newWorkflowStub(Waiter.class, "typed-a")).terminate("checked");
        WorkflowStub.fromTyped(sdk.client.newWorkflowStub(Waiter.class, "typed-b")).terminate("checked");
    }

    private static void start(String workflowId, SearchAttributes attributes) {
        Waiter waiter = sdk.client.newWorkflowStub(Waiter.class, options(workflowId)
                .setTypedSearchAttributes(attributes).build());
        WorkflowClient.start(waiter::await);
    }

    @Test
    void pagesWalkEveryRecordOnceNewestFirst() {
        for (int i = 0; i < 5; i++) {
            assertEquals("Hello, page!", sdk.client.newWorkflowStub(HelloActivityTest.Greeting.class,
                    options("page-" + i).build()).greet("page"));
        }
        eventually(() -> ids("WorkflowId STARTS_WITH 'page-'").size() == 5);

        List<WorkflowExecutionInfo> seen = new ArrayList<>();
        ByteString token = ByteString.EMPTY;
        int pages = 0;
        do {
            ListWorkflowExecutionsResponse page = api.listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(NAMESPACE).setQuery("WorkflowId STARTS_WITH 'page-'").setPageSize(2)
                    .setNextPageToken(token).build());
            assertTrue(page.getExecutionsCount() <= 2);
            seen.addAll(page.getExecutionsList());
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertTrue(pages >= 3);
        assertEquals(List.of("page-4", "page-3", "page-2", "page-1", "page-0"), ids(seen));

        StatusRuntimeException tampered = assertThrows(StatusRuntimeException.class, () -> api.listWorkflowExecutions(
                ListWorkflowExecutionsRequest.newBuilder().setNamespace(NAMESPACE).setQuery("WorkflowId = 'page-1'")
                        .setNextPageToken(ByteString.copyFromUtf8("forged")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, tampered.getStatus().getCode());
    }

    @Test
    void aQueryNamesWhatItGotWrong() {
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                () -> sdk.client.listExecutions("Shade = 'x'").findFirst());
        assertEquals(Status.Code.INVALID_ARGUMENT, unknown.getStatus().getCode());
        assertTrue(unknown.getStatus().getDescription().contains("Shade"), unknown.getStatus().getDescription());
        StatusRuntimeException wrongType = assertThrows(StatusRuntimeException.class,
                () -> sdk.client.countWorkflows("Size = 'big'"));
        assertEquals(Status.Code.INVALID_ARGUMENT, wrongType.getStatus().getCode());
    }

    @Test
    void anotherTenantsQueriesNeverSeeTheseRecords() {
        assertEquals("Hello, mine!", sdk.client.newWorkflowStub(HelloActivityTest.Greeting.class,
                options("mine").build()).greet("mine"));
        eventually(() -> ids("WorkflowId = 'mine'").size() == 1);

        // Another namespace of the same account: its own query space, whatever the query says.
        String neighbour = TestTenant.namespace("listing-neighbour");
        TestTenant.provision(neighbour);
        ListWorkflowExecutionsResponse theirs = api.listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
                .setNamespace(neighbour).setQuery("WorkflowId = 'mine' OR WorkflowId != 'mine'").build());
        assertFalse(ids(theirs.getExecutionsList()).contains("mine"));

        // Another account: its owner cannot even learn the namespace exists.
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class, () -> TestTenant
                .asOwnerOf("intruders", WorkflowServiceGrpc.newBlockingStub(sdk.service.getRawChannel()))
                .listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder().setNamespace(NAMESPACE).build()));
        assertEquals(Status.Code.NOT_FOUND, denied.getStatus().getCode());
    }

    private static WorkflowOptions.Builder options(String workflowId) {
        return WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId);
    }

    private static List<String> ids(String query) {
        return sdk.client.listExecutions(query).map(execution -> execution.getExecution().getWorkflowId()).toList();
    }

    private static List<String> ids(List<WorkflowExecutionInfo> executions) {
        return executions.stream().map(execution -> execution.getExecution().getWorkflowId()).toList();
    }

    /** Visibility is written by the outbox after the commit: it catches up within moments, not at once. */
    static void eventually(Supplier<Boolean> condition) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.get()) {
            assertTrue(System.currentTimeMillis() < deadline, "visibility did not catch up within 10 s");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
