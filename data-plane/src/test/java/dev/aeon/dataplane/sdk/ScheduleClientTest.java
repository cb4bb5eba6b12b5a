package dev.aeon.dataplane.sdk;

import dev.aeon.dataplane.TestTenant;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.api.workflowservice.v1.CountSchedulesRequest;
import io.temporal.api.workflowservice.v1.DescribeScheduleRequest;
import io.temporal.api.workflowservice.v1.ListSchedulesRequest;
import io.temporal.api.workflowservice.v1.DescribeScheduleResponse;
import io.temporal.api.workflowservice.v1.ListScheduleMatchingTimesRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.UpdateScheduleRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleBackfill;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schedules through the Java SDK's {@code ScheduleClient}: create, describe, list, update, pause, trigger,
 * backfill, delete, and the policies (overlap, pause on failure, limited actions) with workflows a real worker runs.
 * Every workflow a schedule started and that finished is replayed when the test ends.
 */
@QuarkusTest
class ScheduleClientTest {

    private static final String NAMESPACE = TestTenant.namespace("sched-" + UUID.randomUUID().toString().substring(0, 8));
    private static final String TASK_QUEUE = "schedules";
    private static final SearchAttributeKey<String> TEAM = SearchAttributeKey.forKeyword("Team");

    @WorkflowInterface
    public interface Gate {
        @WorkflowMethod
        String pass(String mode);

        @SignalMethod
        void open();
    }

    /** Returns at once ("quick"), fails ("fail"), or waits to be opened ("wait"); reports the previous result. */
    public static class GateImpl implements Gate {
        private boolean opened;

        @Override
        public String pass(String mode) {
            if (mode.equals("fail")) {
                throw ApplicationFailure.newNonRetryableFailure("gate broke", "Broken");
            }
            if (mode.equals("wait")) {
                Workflow.await(() -> opened);
            }
            String previous = Workflow.getLastCompletionResult(String.class);
            return "passed after " + previous;
        }

        @Override
        public void open() {
            opened = true;
        }
    }

    static SdkHarness sdk;
    static ScheduleClient schedules;
    static WorkflowServiceGrpc.WorkflowServiceBlockingStub api;

    @BeforeAll
    static void start() {
        sdk = SdkHarness.start(NAMESPACE, TASK_QUEUE, worker -> worker.registerWorkflowImplementationTypes(GateImpl.class));
        TestTenant.provision(NAMESPACE, Map.of("Team", "Keyword"));
        schedules = ScheduleClient.newInstance(sdk.service, ScheduleClientOptions.newBuilder().setNamespace(NAMESPACE).build());
        api = sdk.service.blockingStub();
    }

    @AfterAll
    static void stop() {
        sdk.close();
    }

    private static Schedule.Builder every(Duration interval, String workflowId, String mode) {
        return Schedule.newBuilder()
                .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType(Gate.class).setArguments(mode)
                        .setOptions(WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(TASK_QUEUE).build())
                        .build())
                .setSpec(ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(interval))).build());
    }

    @Test
    void aScheduleStartsItsWorkflowAtEachTimeAndShowsWhatItDid() {
        ScheduleHandle handle = schedules.createSchedule("every-second", every(Duration.ofSeconds(1), "tick", "quick")
                        .build(),
                ScheduleOptions.newBuilder().setMemo(Map.of("owner", "ops"))
                        .setTypedSearchAttributes(SearchAttributes.newBuilder().set(TEAM, "core").build()).build());
        eventually(() -> handle.describe().getInfo().getRecentActions().size() >= 3, "three actions");
        ScheduleDescription described = handle.describe();
        List<ScheduleActionResult> recent = described.getInfo().getRecentActions();
        for (ScheduleActionResult action : recent) {
            ScheduleActionExecutionStartWorkflow started = (ScheduleActionExecutionStartWorkflow) action.getAction();
            // the workflow id carries the nominal time, whole seconds, UTC (interval times have no jitter here)
            assertEquals("tick-" + action.getScheduledAt().truncatedTo(ChronoUnit.SECONDS).toString(), started.getWorkflowId());
            assertEquals(0, action.getScheduledAt().getNano(), "interval times are whole seconds");
            assertFalse(action.getStartedAt().isBefore(action.getScheduledAt()));
            sdk.replays.add(WorkflowExecution.newBuilder().setWorkflowId(started.getWorkflowId())
                    .setRunId(started.getFirstExecutionRunId()).build());
        }
        assertTrue(described.getInfo().getNumActions() >= 3);
        assertEquals(10, described.getInfo().getNextActionTimes().size());
        assertEquals("ops", described.getMemo("owner", String.class));
        assertEquals("core", described.getTypedSearchAttributes().get(TEAM));
        assertEquals(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP, described.getSchedule().getPolicy().getOverlap());
        assertEquals(Duration.ofDays(365), described.getSchedule().getPolicy().getCatchupWindow());

        // the started workflow carries who scheduled it and for when
        ScheduleActionExecutionStartWorkflow first = (ScheduleActionExecutionStartWorkflow) recent.get(0).getAction();
        var info = sdk.client.newUntypedWorkflowStub(first.getWorkflowId()).describe();
        assertEquals("every-second", info.getTypedSearchAttributes().get(SearchAttributeKey.forKeyword("TemporalScheduledById")));
        // a scheduled run sees the previous run's result
        eventually(() -> sdk.client.newUntypedWorkflowStub(((ScheduleActionExecutionStartWorkflow)
                handle.describe().getInfo().getRecentActions().get(2).getAction()).getWorkflowId())
                .getResult(String.class).startsWith("passed after passed after"), "last completion result handed on");

        // the scheduler run is no workflow a list shows, but the schedule list does
        assertTrue(api.listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder().setNamespace(NAMESPACE)
                        .setQuery("WorkflowId = 'temporal-sys-scheduler:every-second'").build()).getExecutionsList().isEmpty());
        eventually(() -> schedules.listSchedules(null, 100).anyMatch(s -> s.getScheduleId().equals("every-second")),
                "listed");
        ScheduleListDescription listed = schedules.listSchedules(null, 100)
                .filter(s -> s.getScheduleId().equals("every-second")).findFirst().orElseThrow();
        assertFalse(listed.getInfo().getRecentActions().isEmpty());
        assertEquals(5, listed.getInfo().getNextActionTimes().size());
        // queries may filter on the namespace's own attributes (and TemporalSchedulePaused), nothing else
        assertTrue(schedules.listSchedules("Team = 'core'", 100).anyMatch(s -> s.getScheduleId().equals("every-second")));
        assertFalse(schedules.listSchedules("Team = 'edge'", 100).anyMatch(s -> s.getScheduleId().equals("every-second")));
        assertTrue(api.countSchedules(CountSchedulesRequest.newBuilder().setNamespace(NAMESPACE)
                .setQuery("Team = 'core'").build()).getCount() >= 1);
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> api.listSchedules(
                ListSchedulesRequest.newBuilder().setNamespace(NAMESPACE).setQuery("WorkflowType = 'Gate'").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertEquals("invalid query filter for schedules: cannot filter on \"WorkflowType\"",
                refused.getStatus().getDescription());

        handle.delete();
        StatusRuntimeException gone = assertThrows(StatusRuntimeException.class, () -> api.describeSchedule(
                DescribeScheduleRequest.newBuilder().setNamespace(NAMESPACE).setScheduleId("every-second").build()));
        assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());
        assertEquals("schedule not found", gone.getStatus().getDescription());
    }

    @Test
    void createTwiceIsRefusedAndUpdateFollowsTheConflictToken() {
        Schedule schedule = every(Duration.ofHours(1), "hourly", "quick").build();
        ScheduleHandle handle = schedules.createSchedule("hourly", schedule, ScheduleOptions.newBuilder().build());
        assertThrows(io.temporal.client.schedules.ScheduleAlreadyRunningException.class, () -> schedules.createSchedule("hourly", schedule,
                ScheduleOptions.newBuilder().build()));

        handle.update(input -> new ScheduleUpdate(Schedule.newBuilder(input.getDescription().getSchedule())
                .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("15 3 * * *")).build()).build()));
        ScheduleDescription updated = handle.describe();
        // cron strings are stored as structured calendars, as Temporal stores them
        assertTrue(updated.getSchedule().getSpec().getCronExpressions().isEmpty());
        assertEquals(1, updated.getSchedule().getSpec().getCalendars().size());
        assertTrue(updated.getInfo().getLastUpdatedAt() != null);
        Instant next = updated.getInfo().getNextActionTimes().get(0);
        assertEquals(3 * 3600 + 15 * 60, next.getEpochSecond() % 86400);

        DescribeScheduleResponse raw = api.describeSchedule(DescribeScheduleRequest.newBuilder().setNamespace(NAMESPACE)
                .setScheduleId("hourly").build());
        StatusRuntimeException stale = assertThrows(StatusRuntimeException.class, () -> api.updateSchedule(
                UpdateScheduleRequest.newBuilder().setNamespace(NAMESPACE).setScheduleId("hourly")
                        .setSchedule(raw.getSchedule())
                        .setConflictToken(com.google.protobuf.ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}))
                        .setRequestId(UUID.randomUUID().toString()).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, stale.getStatus().getCode());

        var times = api.listScheduleMatchingTimes(ListScheduleMatchingTimesRequest.newBuilder().setNamespace(NAMESPACE)
                .setScheduleId("hourly").setStartTime(ts(Instant.parse("2030-01-01T00:00:00Z")))
                .setEndTime(ts(Instant.parse("2030-01-04T00:00:00Z"))).build());
        assertEquals(List.of("2030-01-01T03:15:00Z", "2030-01-02T03:15:00Z", "2030-01-03T03:15:00Z"),
                times.getStartTimeList().stream().map(t -> Instant.ofEpochSecond(t.getSeconds()).toString())
                        .collect(Collectors.toList()));
        handle.delete();
    }

    @Test
    void pausedSchedulesWaitTriggersAndBackfillsActAnyway() {
        ScheduleHandle handle = schedules.createSchedule("paused", every(Duration.ofMinutes(1), "manual", "quick")
                        .setState(ScheduleState.newBuilder().setPaused(true).setNote("held").build()).build(),
                ScheduleOptions.newBuilder().build());
        ScheduleDescription described = handle.describe();
        assertTrue(described.getSchedule().getState().isPaused());
        assertEquals("held", described.getSchedule().getState().getNote());
        eventually(() -> schedules.listSchedules("TemporalSchedulePaused = true", 100)
                .anyMatch(s -> s.getScheduleId().equals("paused")), "listed as paused");

        handle.trigger(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL);
        eventually(() -> handle.describe().getInfo().getNumActions() == 1, "triggered while paused");

        Instant from = Instant.parse("2024-05-01T10:00:00Z");
        handle.backfill(List.of(new ScheduleBackfill(from, from.plus(Duration.ofMinutes(2)),
                ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL)));
        eventually(() -> handle.describe().getInfo().getNumActions() == 4, "three backfilled times (start inclusive)");
        List<String> ids = handle.describe().getInfo().getRecentActions().stream()
                .map(a -> ((ScheduleActionExecutionStartWorkflow) a.getAction()).getWorkflowId()).collect(Collectors.toList());
        assertTrue(ids.containsAll(List.of("manual-2024-05-01T10:00:00Z", "manual-2024-05-01T10:01:00Z",
                "manual-2024-05-01T10:02:00Z")), ids.toString());

        // a client's retry of the same patch (same request id) is applied once
        var trigger = io.temporal.api.workflowservice.v1.PatchScheduleRequest.newBuilder().setNamespace(NAMESPACE)
                .setScheduleId("paused").setRequestId(UUID.randomUUID().toString())
                .setPatch(io.temporal.api.schedule.v1.SchedulePatch.newBuilder().setTriggerImmediately(
                        io.temporal.api.schedule.v1.TriggerImmediatelyRequest.newBuilder()
                                .setOverlapPolicy(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL)
                                .setScheduledTime(ts(Instant.parse("2025-01-01T00:00:00Z"))))).build();
        api.patchSchedule(trigger);
        api.patchSchedule(trigger);
        eventually(() -> handle.describe().getInfo().getNumActions() == 5, "the retried trigger once");
        sleep(500);
        assertEquals(5, handle.describe().getInfo().getNumActions());

        handle.unpause("go");
        assertFalse(handle.describe().getSchedule().getState().isPaused());
        assertEquals("go", handle.describe().getSchedule().getState().getNote());
        handle.delete();
    }

    @Test
    void overlapSkipWaitsForTheRunningWorkflowAndBufferOneRunsNextWhenItCloses() {
        ScheduleHandle skip = schedules.createSchedule("skipper", every(Duration.ofSeconds(1), "skip", "wait")
                .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP).build())
                .build(), ScheduleOptions.newBuilder().build());
        eventually(() -> skip.describe().getInfo().getNumActionsSkippedOverlap() >= 2, "later times skipped");
        ScheduleDescription described = skip.describe();
        assertEquals(1, described.getInfo().getNumActions());
        assertEquals(1, described.getInfo().getRunningActions().size());
        String running = ((ScheduleActionExecutionStartWorkflow) described.getInfo().getRunningActions().get(0))
                .getWorkflowId();
        skip.delete();

        ScheduleHandle buffer = schedules.createSchedule("buffer", every(Duration.ofSeconds(1), "buf", "wait")
                .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE)
                        .build()).build(), ScheduleOptions.newBuilder().build());
        eventually(() -> buffer.describe().getInfo().getNumActions() == 1
                && buffer.describe().getInfo().getNumActionsSkippedOverlap() >= 1, "one buffered, the rest skipped");
        String firstRun = ((ScheduleActionExecutionStartWorkflow) buffer.describe().getInfo().getRunningActions().get(0))
                .getWorkflowId();
        sdk.client.newWorkflowStub(Gate.class, firstRun).open();
        // its close starts the buffered time at once
        eventually(() -> buffer.describe().getInfo().getNumActions() >= 2, "buffered start after the close");
        buffer.delete();
        sdk.client.newWorkflowStub(Gate.class, running).open();
    }

    @Test
    void pauseOnFailureAndLimitedActions() {
        ScheduleHandle failing = schedules.createSchedule("failing", every(Duration.ofSeconds(1), "broken", "fail")
                .setPolicy(SchedulePolicy.newBuilder().setPauseOnFailure(true).build()).build(),
                ScheduleOptions.newBuilder().build());
        eventually(() -> failing.describe().getSchedule().getState().isPaused(), "paused by the failure");
        String note = failing.describe().getSchedule().getState().getNote();
        assertTrue(note.startsWith("paused due to workflow failure: broken-") && note.endsWith(": gate broke"), note);
        failing.delete();

        ScheduleHandle limited = schedules.createSchedule("limited", every(Duration.ofSeconds(1), "twice", "quick")
                .setState(ScheduleState.newBuilder().setLimitedAction(true).setRemainingActions(2).build()).build(),
                ScheduleOptions.newBuilder().build());
        eventually(() -> limited.describe().getSchedule().getState().getRemainingActions() == 0, "used up");
        sleep(2500);
        ScheduleDescription described = limited.describe();
        assertEquals(2, described.getInfo().getNumActions());
        assertTrue(described.getInfo().getNextActionTimes().isEmpty());
        limited.delete();
    }

    private static com.google.protobuf.Timestamp ts(Instant instant) {
        return com.google.protobuf.Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }

    static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
