package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.history.state.ActivityInfo;
import dev.aeon.dataplane.history.state.ActivityState;
import dev.aeon.dataplane.history.state.ChildState;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.state.TimerTask;
import dev.aeon.dataplane.history.state.WorkflowTaskState;
import io.temporal.api.enums.v1.TimeoutType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutable state is stored as JSON by field name, so its fields' names are the storage format: a row written before
 * the fields became private must read back the same, and what is written now must read back whole.
 */
class StateCodecTest {

    /** A row as the data plane wrote it when ExecutionState's fields were public (trimmed to what it checks). */
    private static final String STORED_ROW = """
            {"namespaceId":"ns-id","workflowId":"order-1","runId":"run-2","firstRunId":"run-1",
             "workflowType":"OrderWorkflow","taskQueue":"orders","startRequestId":"req-1","attempt":2,
             "cronSchedule":"","status":1,"nextEventId":12,"historyTxnId":77,"crossWorkflowTaskIds":[41],
             "deleting":false,"historySizeBytes":2048,"startTimeMillis":1000,"executionTimeMillis":1500,
             "workflowTaskTimeoutMillis":10000,"runTimeoutMillis":0,"executionTimeoutMillis":0,
             "lastCompletedWorkflowTaskStartedEventId":7,
             "workflowTask":{"scheduledEventId":11,"startedEventId":0,"attempt":1,"taskQueue":"sticky-q",
               "scheduledTimeMillis":1900,"transferTaskId":55,"requestId":"","sticky":true,"speculative":false,
               "timer":{"taskId":56,"fireAtMillis":7000}},
             "activities":{"5":{"scheduledEventId":5,"started":true,"activityId":"charge","attempt":3,
               "startedIdentity":"worker-1","startToCloseTimer":{"taskId":60,"fireAtMillis":9000},
               "heartbeatTimer":{"taskId":61,"fireAtMillis":8000},"cancelRequested":true,"cancelRequestedEventId":9}},
             "children":{"8":{"namespaceId":"ns-id","namespace":"ns","workflowId":"child-1",
               "workflowType":"Child","runId":"child-run","startedEventId":10,"parentClosePolicy":2}},
             "externalRequests":{"6":{"cancel":true,"namespaceId":"ns-id","namespace":"ns","workflowId":"other",
               "runId":""}},
             "signalRequestIds":["sig-1"],"admittedUpdates":{},"acceptedUpdates":{"u1":4},
             "completedUpdates":{"u0":3},"timers":{"t1":{"timerId":"t1","startedEventId":3,
               "timer":{"taskId":40,"fireAtMillis":5000}}},"cancelRequested":true,"stickyTaskQueue":"sticky-q",
             "stickyScheduleToStartMillis":5000,"futureField":"ignored"}
            """;

    @Test
    void aRowWrittenWithPublicFieldsReadsBackTheSame() {
        byte[] row = new byte[STORED_ROW.length() + 1];
        row[0] = 1; // JSON_V1
        System.arraycopy(STORED_ROW.getBytes(StandardCharsets.UTF_8), 0, row, 1, STORED_ROW.length());
        ExecutionState run = StateCodec.state(row);

        assertEquals("order-1", run.workflowId());
        assertEquals("run-1", run.firstRunId());
        assertEquals(2, run.attempt());
        assertTrue(run.isRunning());
        assertEquals(12, run.nextEventId());
        assertEquals(77, run.historyTxnId());
        assertTrue(run.hasPendingCrossWorkflowTasks());
        assertEquals(1500, run.executionTimeMillis());
        assertEquals(7, run.lastCompletedWorkflowTaskStartedEventId());
        assertEquals(WorkflowTaskState.SCHEDULED, run.workflowTask().state());
        assertTrue(run.workflowTask().sticky());
        assertEquals(new TimerTask.TimerRef(56, 7000), run.workflowTask().timer());
        ActivityInfo activity = run.activity(5);
        assertEquals(ActivityState.STARTED, activity.state());
        assertEquals(3, activity.attempt());
        assertEquals(new TimerTask.TimerRef(61, 8000), activity.timeoutTimer(TimeoutType.TIMEOUT_TYPE_HEARTBEAT));
        assertEquals(2, activity.timers().size());
        assertTrue(activity.cancelRequested());
        assertEquals(ChildState.STARTED, run.child(8).state());
        assertEquals(2, run.child(8).parentClosePolicy());
        assertTrue(run.externalRequests().get(6L).cancel());
        assertFalse(run.recordSignalRequest("sig-1", 10), "the remembered signal request id came back");
        assertEquals(4L, run.acceptedUpdates().get("u1"));
        assertEquals(new TimerTask.TimerRef(40, 5000), run.timer("t1").timer());
        assertTrue(run.cancelRequested());
        assertEquals("sticky-q", run.stickyTaskQueue());
    }

    @Test
    void whatIsWrittenNowReadsBackWhole() {
        byte[] row = new byte[STORED_ROW.length() + 1];
        row[0] = 1;
        System.arraycopy(STORED_ROW.getBytes(StandardCharsets.UTF_8), 0, row, 1, STORED_ROW.length());
        byte[] written = StateCodec.encode(StateCodec.state(row));
        assertArrayEquals(written, StateCodec.encode(StateCodec.state(written)));
        String json = new String(written, 1, written.length - 1, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"heartbeatTimer\":{"), json);
        assertTrue(json.contains("\"lastCompletedWorkflowTaskStartedEventId\":7"), json);
        assertFalse(json.contains("futureField"), "unknown fields are dropped, as before");
    }
}
