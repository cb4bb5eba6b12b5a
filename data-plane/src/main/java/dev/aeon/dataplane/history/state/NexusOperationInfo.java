package dev.aeon.dataplane.history.state;

/**
 * A Nexus operation this run scheduled, held while SCHEDULED, BACKING_OFF or STARTED ({@link NexusOperationState}),
 * with its cancellation once the workflow asked for one ({@link NexusCancelState}). What the start request carries
 * (input, header) stays in the scheduled event, read when the request is sent.
 */
public final class NexusOperationInfo {
    private long scheduledEventId;
    private String endpointName;
    private String endpointId;
    /** The endpoint's target namespace id when scheduled: only a run of it may complete the operation by callback. */
    private String targetNamespaceId;
    private String service;
    private String operation;
    /** Sent as the start request's Nexus-Request-Id and carried in the callback token: names this operation. */
    private String requestId;
    private long scheduledTimeMillis;
    private long scheduleToCloseMillis;
    private long scheduleToStartMillis;
    private long startToCloseMillis;

    private NexusOperationState state = NexusOperationState.SCHEDULED;
    /** Start requests sent so far (the one under way included). */
    private int attempt = 1;
    private long lastAttemptCompleteTimeMillis;
    /** The last failed attempt's {@code temporal.api.failure.v1.Failure} bytes; null when none failed. */
    private byte[] lastAttemptFailure;
    private long nextAttemptTimeMillis;
    private String operationToken = "";
    private long startedTimeMillis;

    private TimerTask.TimerRef scheduleToCloseTimer;
    private TimerTask.TimerRef scheduleToStartTimer;
    private TimerTask.TimerRef startToCloseTimer;
    private TimerTask.TimerRef backoffTimer;

    /** The cancel-requested event's id; 0 while the workflow has not asked. */
    private long cancelRequestedEventId;
    private NexusCancelState cancelState;
    private int cancelAttempt;
    private byte[] cancelLastFailure;
    private TimerTask.TimerRef cancelBackoffTimer;

    private NexusOperationInfo() {
    }

    public NexusOperationInfo(long scheduledEventId, String endpointName, String endpointId, String targetNamespaceId,
                              String service, String operation, String requestId, long scheduledTimeMillis,
                              long scheduleToCloseMillis, long scheduleToStartMillis, long startToCloseMillis) {
        this.scheduledEventId = scheduledEventId;
        this.endpointName = endpointName;
        this.endpointId = endpointId;
        this.targetNamespaceId = targetNamespaceId;
        this.service = service;
        this.operation = operation;
        this.requestId = requestId;
        this.scheduledTimeMillis = scheduledTimeMillis;
        this.scheduleToCloseMillis = scheduleToCloseMillis;
        this.scheduleToStartMillis = scheduleToStartMillis;
        this.startToCloseMillis = startToCloseMillis;
    }

    public long scheduledEventId() {
        return scheduledEventId;
    }

    public String endpointName() {
        return endpointName;
    }

    public String endpointId() {
        return endpointId;
    }

    public String targetNamespaceId() {
        return targetNamespaceId;
    }

    public String service() {
        return service;
    }

    public String operation() {
        return operation;
    }

    public String requestId() {
        return requestId;
    }

    public long scheduledTimeMillis() {
        return scheduledTimeMillis;
    }

    public long scheduleToCloseMillis() {
        return scheduleToCloseMillis;
    }

    public long scheduleToStartMillis() {
        return scheduleToStartMillis;
    }

    public long startToCloseMillis() {
        return startToCloseMillis;
    }

    public NexusOperationState state() {
        return state;
    }

    public int attempt() {
        return attempt;
    }

    public long lastAttemptCompleteTimeMillis() {
        return lastAttemptCompleteTimeMillis;
    }

    public byte[] lastAttemptFailure() {
        return lastAttemptFailure;
    }

    public long nextAttemptTimeMillis() {
        return nextAttemptTimeMillis;
    }

    public String operationToken() {
        return operationToken;
    }

    public long startedTimeMillis() {
        return startedTimeMillis;
    }

    public TimerTask.TimerRef scheduleToCloseTimer() {
        return scheduleToCloseTimer;
    }

    public TimerTask.TimerRef scheduleToStartTimer() {
        return scheduleToStartTimer;
    }

    public TimerTask.TimerRef startToCloseTimer() {
        return startToCloseTimer;
    }

    public TimerTask.TimerRef backoffTimer() {
        return backoffTimer;
    }

    /** The start request went to this namespace (the endpoint's target then): completions must come from it. */
    public void sentTo(String targetNamespaceId) {
        this.targetNamespaceId = targetNamespaceId;
    }

    public void armTimeouts(TimerTask.TimerRef scheduleToClose, TimerTask.TimerRef scheduleToStart) {
        this.scheduleToCloseTimer = scheduleToClose;
        this.scheduleToStartTimer = scheduleToStart;
    }

    /** A start request failed and may be retried: BACKING_OFF until {@code nextAttemptMillis}. */
    public void attemptFailed(String runId, byte[] failure, long nowMillis, long nextAttemptMillis,
                              TimerTask.TimerRef backoff) {
        move(runId, NexusOperationState.BACKING_OFF);
        this.lastAttemptFailure = failure;
        this.lastAttemptCompleteTimeMillis = nowMillis;
        this.nextAttemptTimeMillis = nextAttemptMillis;
        this.backoffTimer = backoff;
    }

    /** The backoff is over: the next start request is due. */
    public void rescheduled(String runId) {
        move(runId, NexusOperationState.SCHEDULED);
        this.attempt++;
        this.nextAttemptTimeMillis = 0;
        this.backoffTimer = null;
    }

    /** The handler started the operation asynchronously; its start-to-close timeout runs from now. */
    public void started(String runId, String operationToken, long nowMillis, TimerTask.TimerRef startToClose) {
        move(runId, NexusOperationState.STARTED);
        this.operationToken = operationToken == null ? "" : operationToken;
        this.startedTimeMillis = nowMillis;
        this.lastAttemptCompleteTimeMillis = nowMillis;
        this.lastAttemptFailure = null;
        this.startToCloseTimer = startToClose;
    }

    /** Checks that the operation may go {@code to}; the run's state then forgets it (it ended). */
    public void checkEnd(String runId, NexusOperationState to) {
        NexusOperationState.TRANSITIONS.check(runId, scheduledEventId, state, to);
    }

    private void move(String runId, NexusOperationState to) {
        NexusOperationState.TRANSITIONS.check(runId, scheduledEventId, state, to);
        state = to;
    }

    // Its cancellation.

    public long cancelRequestedEventId() {
        return cancelRequestedEventId;
    }

    /** Null while the workflow has not asked to cancel. */
    public NexusCancelState cancelState() {
        return cancelState;
    }

    public int cancelAttempt() {
        return cancelAttempt;
    }

    public byte[] cancelLastFailure() {
        return cancelLastFailure;
    }

    public TimerTask.TimerRef cancelBackoffTimer() {
        return cancelBackoffTimer;
    }

    /** The workflow asked to cancel: PENDING until the operation has started (a request needs its token). */
    public void cancelRequested(long requestedEventId) {
        if (cancelState != null) {
            throw new Transitions.IllegalTransition("nexus operation " + scheduledEventId + " is canceled twice");
        }
        this.cancelRequestedEventId = requestedEventId;
        this.cancelState = NexusCancelState.PENDING;
    }

    /** A cancel request is due now. */
    public void cancelScheduled(String runId) {
        NexusCancelState.TRANSITIONS.check(runId, scheduledEventId, cancelState, NexusCancelState.SCHEDULED);
        if (cancelState != NexusCancelState.BACKING_OFF) {
            cancelAttempt = 0;
        }
        cancelState = NexusCancelState.SCHEDULED;
        cancelAttempt++;
        cancelBackoffTimer = null;
    }

    public void cancelAttemptFailed(String runId, byte[] failure, TimerTask.TimerRef backoff) {
        NexusCancelState.TRANSITIONS.check(runId, scheduledEventId, cancelState, NexusCancelState.BACKING_OFF);
        cancelState = NexusCancelState.BACKING_OFF;
        cancelLastFailure = failure;
        cancelBackoffTimer = backoff;
    }

    /** The handler accepted the cancel request (SUCCEEDED), or refused it for good (FAILED). */
    public void cancelEnded(String runId, NexusCancelState how, byte[] failure) {
        NexusCancelState.TRANSITIONS.check(runId, scheduledEventId, cancelState, how);
        cancelState = how;
        cancelLastFailure = failure;
    }
}
