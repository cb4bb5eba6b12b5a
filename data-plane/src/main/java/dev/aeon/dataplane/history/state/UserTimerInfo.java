package dev.aeon.dataplane.history.state;

/** A timer the workflow started, held while STARTED. */
public final class UserTimerInfo {
    private String timerId;
    private long startedEventId;
    private TimerTask.TimerRef timer;

    private UserTimerInfo() {
    }

    /** @param timer its engine timer; null while a reset rebuilds it (it is armed again after) */
    public UserTimerInfo(String timerId, long startedEventId, TimerTask.TimerRef timer) {
        this.timerId = timerId;
        this.startedEventId = startedEventId;
        this.timer = timer;
    }

    /** A reset arms it again in the new run. */
    public void rearm(TimerTask.TimerRef timer) {
        this.timer = timer;
    }

    public String timerId() {
        return timerId;
    }

    public long startedEventId() {
        return startedEventId;
    }

    public TimerTask.TimerRef timer() {
        return timer;
    }
}
