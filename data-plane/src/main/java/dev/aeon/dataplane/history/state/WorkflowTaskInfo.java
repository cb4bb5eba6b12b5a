package dev.aeon.dataplane.history.state;

/** The run's workflow task: one at most, held while SCHEDULED or STARTED. */
public final class WorkflowTaskInfo {
    private long scheduledEventId;
    /** 0 while scheduled but not yet picked up by a worker. */
    private long startedEventId;
    private int attempt = 1;
    private String taskQueue;
    private long scheduledTimeMillis;
    private long startedTimeMillis;
    private long transferTaskId;
    private String requestId = "";
    private TimerTask.TimerRef timer;
    /** Dispatched to the last worker's sticky queue; its history then starts after the previous task. */
    private boolean sticky;
    /**
     * Scheduled only to deliver updates: its scheduled and started events are not in history yet. They take
     * the event ids {@code scheduledEventId} and {@code scheduledEventId + 1} when something must be written
     * (see Mutation.materializeSpeculativeTask); a task that only rejected updates leaves no trace.
     */
    private boolean speculative;
    /** The identity of the worker that started the task, for a speculative task's started event. */
    private String startedIdentity = "";

    private WorkflowTaskInfo() {
    }

    /** A task about to be scheduled; {@link #scheduledAs} gives it its event id. */
    public static WorkflowTaskInfo toSchedule(int attempt, String taskQueue, boolean sticky, boolean speculative,
                                              long scheduledTimeMillis) {
        WorkflowTaskInfo task = new WorkflowTaskInfo();
        task.attempt = attempt;
        task.taskQueue = taskQueue;
        task.sticky = sticky;
        task.speculative = speculative;
        task.scheduledTimeMillis = scheduledTimeMillis;
        return task;
    }

    /** Its scheduled event's id (written, or reserved for a speculative task). */
    public void scheduledAs(long scheduledEventId) {
        this.scheduledEventId = scheduledEventId;
    }

    /** The transfer task that queues it for workers. */
    public void queuedAs(long transferTaskId) {
        this.transferTaskId = transferTaskId;
    }

    /** A worker (or the server, for a reset) starts it; {@link #startedAs} then gives its started event id. */
    public void recordStart(String runId, long nowMillis, String requestId, String identity) {
        checkMove(runId, WorkflowTaskState.STARTED);
        this.startedTimeMillis = nowMillis;
        this.requestId = requestId;
        this.startedIdentity = identity;
    }

    public void startedAs(long startedEventId) {
        this.startedEventId = startedEventId;
    }

    /** Its events are written now (an event must follow them); it is an ordinary task from here. */
    public void materialize() {
        speculative = false;
    }

    public void armTimer(TimerTask.TimerRef timer) {
        this.timer = timer;
    }

    /** Forgets its timeout timer (fired, or replaced); returns it for the caller to complete. */
    public TimerTask.TimerRef disarm() {
        TimerTask.TimerRef armed = timer;
        timer = null;
        return armed;
    }

    public long scheduledEventId() {
        return scheduledEventId;
    }

    public long startedEventId() {
        return startedEventId;
    }

    public int attempt() {
        return attempt;
    }

    public String taskQueue() {
        return taskQueue;
    }

    public long scheduledTimeMillis() {
        return scheduledTimeMillis;
    }

    public long startedTimeMillis() {
        return startedTimeMillis;
    }

    public long transferTaskId() {
        return transferTaskId;
    }

    public String requestId() {
        return requestId;
    }

    public TimerTask.TimerRef timer() {
        return timer;
    }

    public boolean sticky() {
        return sticky;
    }

    public boolean speculative() {
        return speculative;
    }

    public String startedIdentity() {
        return startedIdentity;
    }

    /** SCHEDULED until a worker's poll records its start; the other states end the task. */
    public WorkflowTaskState state() {
        return startedEventId == 0 ? WorkflowTaskState.SCHEDULED : WorkflowTaskState.STARTED;
    }

    /** Checks that the task may go {@code to} next (the caller then records it). */
    public void checkMove(String runId, WorkflowTaskState to) {
        WorkflowTaskState.TRANSITIONS.check(runId, scheduledEventId, state(), to);
    }
}
