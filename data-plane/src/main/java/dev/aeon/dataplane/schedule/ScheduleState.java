package dev.aeon.dataplane.schedule;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aeon.dataplane.history.state.TimerTask;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a schedule keeps between its transitions, stored in its scheduler run's state (JSON bytes the engine does not
 * read). The schedule as the tenant gave it (spec, action, policies, state) is kept as its protobuf bytes; the rest
 * is the bookkeeping Temporal's scheduler workflow keeps in its own state: what it has decided, what it is waiting
 * on, and the counts DescribeSchedule shows.
 *
 * <p>Exactly once per time: {@link #decidedUntilMillis} moves forward in the same commit that records the starts
 * decided up to it ({@link #starting}), and each start carries a request id fixed when it was decided
 * ({@link Start#requestId}), so starting it again after a crash finds the run the first attempt created.
 */
final class ScheduleState {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** {@code temporal.api.schedule.v1.Schedule} bytes, as created or last updated (and paused, noted since). */
    byte[] schedule;
    /** Raised by every change of {@link #schedule}; UpdateSchedule's conflict token. */
    long conflictToken = 1;
    long createTimeMillis;
    long updateTimeMillis;

    /** Every time the spec matched at or before this is decided: started, buffered, skipped or missed. */
    long decidedUntilMillis;
    /** The timer that wakes the schedule for its next time; null while there is none (paused, no time left). */
    TimerTask.TimerRef wakeTimer;

    /** Times waiting for their overlap policy to let them start, oldest first. */
    List<Start> buffer = new ArrayList<>();
    /** Starts decided and committed, not yet carried out by the SCHEDULE_ACTIONS task. */
    List<Start> starting = new ArrayList<>();
    /** The task that carries out {@link #starting} and {@link #stopping}, 0 while none is pending. */
    long actionsTaskId;
    /** Workflows the overlap policy asks to cancel or terminate, not yet asked. */
    List<Stop> stopping = new ArrayList<>();
    /** Workflows this schedule started that have not closed, oldest first. */
    List<Action> running = new ArrayList<>();
    /** The newest actions (at most {@link Scheduler#RECENT_ACTIONS}), oldest first. */
    List<Action> recent = new ArrayList<>();
    /** Backfills not fully buffered yet, oldest first. */
    List<Backfill> backfills = new ArrayList<>();
    /**
     * Closes reported for workflows whose start is not recorded yet (workflow id to {@code WorkflowExecutionStatus}
     * number): the recorded start takes its status from here.
     */
    java.util.Map<String, Integer> closedBeforeRecorded = new java.util.TreeMap<>();
    /** Numbers each start, for its request id. */
    long startSequence;

    long actionCount;
    long missedCatchupWindow;
    long overlapSkipped;
    long bufferDropped;

    /** The last completed run's result ({@code Payloads} bytes), handed to the next start; null for none. */
    byte[] lastCompletionResult;
    /** The last failed run's failure ({@code Failure} bytes), handed to the next start; null for none. */
    byte[] continuedFailure;

    /**
     * One time to act at.
     *
     * @param nominalMillis the time the spec matched (or the trigger's time)
     * @param actualMillis  when it is acted on: nominal plus jitter
     * @param overlapPolicy {@code ScheduleOverlapPolicy} number this start follows
     * @param manual        triggered or backfilled: not subject to pause, remaining actions or the catch-up window
     * @param requestId     the start's request id, fixed when the start is decided; null while buffered
     * @param workflowId    the id of the workflow it starts; null while buffered
     */
    record Start(long nominalMillis, long actualMillis, int overlapPolicy, boolean manual, String requestId,
                 String workflowId) {
    }

    /**
     * A workflow this schedule started: Temporal's ScheduleActionResult. {@code scheduleTimeMillis} is the time it
     * was started for (nominal plus jitter), {@code actualTimeMillis} when the start happened. {@code runId} is null
     * until the start is carried out; {@code status} a {@code WorkflowExecutionStatus} number (RUNNING until its
     * close is reported).
     */
    record Action(long scheduleTimeMillis, long actualTimeMillis, String workflowId, String runId, int status) {

        Action withRun(String runId) {
            return new Action(scheduleTimeMillis, actualTimeMillis, workflowId, runId, status);
        }

        Action withStatus(int status) {
            return new Action(scheduleTimeMillis, actualTimeMillis, workflowId, runId, status);
        }
    }

    /**
     * A backfill's remaining range: the times after {@code cursorMillis} up to {@code endMillis} (inclusive).
     *
     * @param overlapPolicy {@code ScheduleOverlapPolicy} number
     */
    record Backfill(long cursorMillis, long endMillis, int overlapPolicy) {

        Backfill at(long cursorMillis) {
            return new Backfill(cursorMillis, endMillis, overlapPolicy);
        }
    }

    /** A running workflow the overlap policy ends: cancel (CANCEL_OTHER) or terminate (TERMINATE_OTHER). */
    record Stop(String workflowId, String runId, boolean terminate) {
    }

    /** A conflict token as Temporal encodes it: 8 bytes, big-endian. */
    static com.google.protobuf.ByteString token(long value) {
        return com.google.protobuf.ByteString.copyFrom(java.nio.ByteBuffer.allocate(Long.BYTES).putLong(value).array());
    }

    byte[] encode() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ScheduleState decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, ScheduleState.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
