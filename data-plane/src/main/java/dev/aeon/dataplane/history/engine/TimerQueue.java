package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.history.state.TimerTask;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The in-memory side of durable timers: each timer row of an owned shard is scheduled here, and cancelled when a
 * transition deletes its row. Rows are reloaded when a node takes shards over, so a timer lost with a crashed
 * node fires on the next owner (late, never lost).
 */
@ApplicationScoped
public class TimerQueue {

    private static final Logger LOG = Logger.getLogger(TimerQueue.class);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aeon-timers");
        t.setDaemon(true);
        return t;
    });
    /**
     * Keyed by shard and task id: task ids are unique only within a shard (every shard counts from 1 under its
     * own range id), so a key of the task id alone let one shard's cancel drop another shard's timer.
     */
    private final Map<TimerKey, CompletableFuture<ScheduledFuture<?>>> scheduled = new ConcurrentHashMap<>();
    /** Timers handed to the handler and not done yet (it failed and will retry, or is still running). */
    private final java.util.Set<TimerKey> firing = ConcurrentHashMap.newKeySet();
    private volatile Consumer<TimerTask> handler;
    private volatile java.util.function.IntPredicate servedShards = shard -> true;
    private volatile Executor executor;
    /**
     * Only timers due within this long are held here; a later one stays a row until reconciliation reads it, when
     * it comes within reach (TaskReconciliation reads rows due before now + horizon). Without it every armed timer
     * (a day-long user timer, each closed run's deletion after retention) held ~600 bytes of heap until it fired.
     */
    private final long horizonMillis;

    @jakarta.inject.Inject
    public TimerQueue(HistoryConfig config) {
        this(config.timerHorizon().toMillis());
    }

    TimerQueue(long horizonMillis) {
        this.horizonMillis = horizonMillis;
    }

    /** When a timer that is not held here will be read from its row again at the latest. */
    long horizonMillis() {
        return horizonMillis;
    }

    /** Who acts when a timer fires, and on which threads. */
    void onFire(Consumer<TimerTask> handler, Executor executor) {
        this.handler = handler;
        this.executor = executor;
    }

    void schedule(TimerTask timer) {
        long delay = Math.max(0, timer.fireAtMillis() - System.currentTimeMillis());
        if (delay > horizonMillis) {
            return; // its row is read again before it is due
        }
        schedule(timer, delay);
    }

    /** Schedules a timer row found by reconciliation, unless this queue already has it. */
    void reconcile(TimerTask timer) {
        TimerKey key = new TimerKey(timer.shardId(), timer.taskId());
        if (!scheduled.containsKey(key) && !firing.contains(key)) {
            schedule(timer);
        }
    }

    private void schedule(TimerTask timer, long delayMillis) {
        TimerKey key = new TimerKey(timer.shardId(), timer.taskId());
        // Registered before it is scheduled, so a timer due at once cannot fire before it is tracked.
        CompletableFuture<ScheduledFuture<?>> entry = new CompletableFuture<>();
        scheduled.put(key, entry);
        entry.complete(scheduler.schedule(() -> {
            if (!scheduled.remove(key, entry)) {
                return; // cancelled, or replaced by a newer schedule of the same row
            }
            firing.add(key);
            try {
                executor.execute(() -> fire(timer));
            } catch (RuntimeException e) {
                firing.remove(key);
                // A scheduled executor swallows what its task throws: a timer must never vanish that way.
                LOG.warnf("timer %s of run %s could not be handed over (%s); retrying in 1 s", timer.kind(),
                        timer.runId(), e);
                schedule(timer, 1000);
            }
        }, delayMillis, TimeUnit.MILLISECONDS));
    }

    void cancel(int shardId, long taskId) {
        CompletableFuture<ScheduledFuture<?>> entry = scheduled.remove(new TimerKey(shardId, taskId));
        if (entry != null) {
            entry.thenAccept(future -> future.cancel(false));
        }
    }

    /** This node gave the shard up: its timers fire on the new owner, which reloads them from their rows. */
    void dropShard(int shardId) {
        scheduled.keySet().stream().filter(key -> key.shardId() == shardId).toList()
                .forEach(key -> cancel(key.shardId(), key.taskId()));
    }

    /** Which shards' timers this node fires. */
    void servedShards(java.util.function.IntPredicate served) {
        this.servedShards = served;
    }

    int pending() {
        return scheduled.size();
    }

    private void fire(TimerTask timer) {
        TimerKey key = new TimerKey(timer.shardId(), timer.taskId());
        try {
            handler.accept(timer);
            firing.remove(key);
        } catch (RuntimeException e) {
            // The row is still there; try again shortly rather than lose the timer.
            LOG.warnf("timer %s of run %s failed to fire (%s); retrying in 1 s", timer.kind(), timer.runId(),
                    e.getMessage());
            firing.remove(key);
            if (servedShards.test(timer.shardId())) {
                schedule(timer, 1000);
            }
        }
    }

    private record TimerKey(int shardId, long taskId) {
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }
}
