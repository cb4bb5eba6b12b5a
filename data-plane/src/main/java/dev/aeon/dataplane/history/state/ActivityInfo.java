package dev.aeon.dataplane.history.state;

import java.util.ArrayList;
import java.util.List;

/** A pending activity, held while SCHEDULED, STARTED or BACKING_OFF. */
public final class ActivityInfo {
    private long scheduledEventId;
    /** True once a worker picked the current attempt up; its started event is written on completion. */
    private boolean started;
    private String activityId;
    private int attempt = 1;
    /** ActivityTaskScheduledEventAttributes bytes. */
    private byte[] scheduledAttributes;
    private long scheduledTimeMillis;
    private long currentAttemptScheduledTimeMillis;
    private long startedTimeMillis;
    private long transferTaskId;
    private String startedIdentity = "";
    private String startedRequestId = "";
    /** Payloads bytes of the last heartbeat, handed to the next attempt. */
    private byte[] heartbeatDetails;
    private long lastHeartbeatMillis;
    private boolean cancelRequested;
    private long cancelRequestedEventId;
    /** Failure bytes of the previous attempt, reported with the started event. */
    private byte[] lastFailure;
    private TimerTask.TimerRef scheduleToStartTimer;
    private TimerTask.TimerRef scheduleToCloseTimer;
    private TimerTask.TimerRef startToCloseTimer;
    private TimerTask.TimerRef heartbeatTimer;
    private TimerTask.TimerRef retryTimer;

    private ActivityInfo() {
    }

    /** An activity its scheduled event {@code scheduledEventId} (attributes as bytes) scheduled. */
    public static ActivityInfo scheduled(long scheduledEventId, String activityId, byte[] scheduledAttributes,
                                         long scheduledTimeMillis) {
        ActivityInfo activity = new ActivityInfo();
        activity.scheduledEventId = scheduledEventId;
        activity.activityId = activityId;
        activity.scheduledAttributes = scheduledAttributes;
        activity.scheduledTimeMillis = scheduledTimeMillis;
        return activity;
    }

    /** Its current attempt is queued for workers now. */
    public void queued(long nowMillis) {
        currentAttemptScheduledTimeMillis = nowMillis;
    }

    /** A reset queues it anew: as Temporal, the wait for a worker starts again. */
    public void restartWait(long nowMillis) {
        scheduledTimeMillis = nowMillis;
    }

    /** The transfer task that queues its current attempt. */
    public void queuedAs(long transferTaskId) {
        this.transferTaskId = transferTaskId;
    }

    /** A worker took its current attempt: SCHEDULED to STARTED. */
    public void recordStart(String runId, long nowMillis, String identity, String requestId) {
        checkMove(runId, ActivityState.STARTED);
        started = true;
        startedTimeMillis = nowMillis;
        startedIdentity = identity;
        startedRequestId = requestId;
        lastHeartbeatMillis = 0;
    }

    /**
     * The attempt failed or timed out and the retry policy allows another: STARTED to BACKING_OFF, the attempt
     * counted, the failure kept for the next started event, and the retry timer {@code armRetry} arms for the
     * next attempt's number.
     */
    public void backOff(String runId, byte[] failure, java.util.function.IntFunction<TimerTask.TimerRef> armRetry) {
        checkMove(runId, ActivityState.BACKING_OFF);
        started = false;
        attempt++;
        lastFailure = failure;
        retryTimer = armRetry.apply(attempt);
    }

    /** The backoff is over: BACKING_OFF to SCHEDULED (the caller queues it). */
    public void retryDue(String runId) {
        checkMove(runId, ActivityState.SCHEDULED);
        retryTimer = null;
    }

    public void recordHeartbeat(byte[] details, long nowMillis) {
        heartbeatDetails = details;
        lastHeartbeatMillis = nowMillis;
    }

    /** Details a failing attempt reported, handed to the next attempt as a heartbeat's would be. */
    public void keepHeartbeatDetails(byte[] details) {
        heartbeatDetails = details;
    }

    public void requestCancel(long cancelRequestedEventId) {
        cancelRequested = true;
        this.cancelRequestedEventId = cancelRequestedEventId;
    }

    /** The timer of a timeout ({@code SCHEDULE_TO_START}, ...), null when not armed. */
    public TimerTask.TimerRef timeoutTimer(io.temporal.api.enums.v1.TimeoutType type) {
        return switch (type) {
            case TIMEOUT_TYPE_SCHEDULE_TO_START -> scheduleToStartTimer;
            case TIMEOUT_TYPE_SCHEDULE_TO_CLOSE -> scheduleToCloseTimer;
            case TIMEOUT_TYPE_START_TO_CLOSE -> startToCloseTimer;
            case TIMEOUT_TYPE_HEARTBEAT -> heartbeatTimer;
            default -> throw new IllegalArgumentException("no activity timeout " + type);
        };
    }

    public void armTimeout(io.temporal.api.enums.v1.TimeoutType type, TimerTask.TimerRef timer) {
        switch (type) {
            case TIMEOUT_TYPE_SCHEDULE_TO_START -> scheduleToStartTimer = timer;
            case TIMEOUT_TYPE_SCHEDULE_TO_CLOSE -> scheduleToCloseTimer = timer;
            case TIMEOUT_TYPE_START_TO_CLOSE -> startToCloseTimer = timer;
            case TIMEOUT_TYPE_HEARTBEAT -> heartbeatTimer = timer;
            default -> throw new IllegalArgumentException("no activity timeout " + type);
        }
    }

    /** Forgets a timeout's timer; returns it (null if none was armed) for the caller to complete. */
    public TimerTask.TimerRef disarm(io.temporal.api.enums.v1.TimeoutType type) {
        TimerTask.TimerRef armed = timeoutTimer(type);
        armTimeout(type, null);
        return armed;
    }

    /** Forgets whichever timeout timer {@code fired} is. */
    public void disarmFired(TimerTask.TimerRef fired) {
        for (io.temporal.api.enums.v1.TimeoutType type : TIMEOUTS) {
            if (fired.equals(timeoutTimer(type))) {
                armTimeout(type, null);
                return;
            }
        }
    }

    /** Every timer it holds (timeouts and retry), for an activity leaving the run's state. */
    public List<TimerTask.TimerRef> timers() {
        List<TimerTask.TimerRef> armed = new ArrayList<>();
        for (io.temporal.api.enums.v1.TimeoutType type : TIMEOUTS) {
            if (timeoutTimer(type) != null) {
                armed.add(timeoutTimer(type));
            }
        }
        if (retryTimer != null) {
            armed.add(retryTimer);
        }
        return armed;
    }

    private static final List<io.temporal.api.enums.v1.TimeoutType> TIMEOUTS = List.of(
            io.temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START,
            io.temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE,
            io.temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE,
            io.temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_HEARTBEAT);

    public long scheduledEventId() {
        return scheduledEventId;
    }

    public boolean started() {
        return started;
    }

    public String activityId() {
        return activityId;
    }

    public int attempt() {
        return attempt;
    }

    public byte[] scheduledAttributes() {
        return scheduledAttributes;
    }

    public long scheduledTimeMillis() {
        return scheduledTimeMillis;
    }

    public long currentAttemptScheduledTimeMillis() {
        return currentAttemptScheduledTimeMillis;
    }

    public long startedTimeMillis() {
        return startedTimeMillis;
    }

    public long transferTaskId() {
        return transferTaskId;
    }

    public String startedIdentity() {
        return startedIdentity;
    }

    public String startedRequestId() {
        return startedRequestId;
    }

    public byte[] heartbeatDetails() {
        return heartbeatDetails;
    }

    public long lastHeartbeatMillis() {
        return lastHeartbeatMillis;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    public long cancelRequestedEventId() {
        return cancelRequestedEventId;
    }

    public byte[] lastFailure() {
        return lastFailure;
    }

    public TimerTask.TimerRef retryTimer() {
        return retryTimer;
    }

    /** Derived from what is stored (a started attempt, an armed retry backoff), so rows keep their format. */
    public ActivityState state() {
        return started ? ActivityState.STARTED
                : retryTimer != null ? ActivityState.BACKING_OFF : ActivityState.SCHEDULED;
    }

    /** Checks that the activity may go {@code to} next (the caller then records it). */
    public void checkMove(String runId, ActivityState to) {
        ActivityState.TRANSITIONS.check(runId, activityId, state(), to);
    }
}
