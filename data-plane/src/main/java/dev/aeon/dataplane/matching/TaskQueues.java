package dev.aeon.dataplane.matching;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Matching: hands tasks to workers' long polls. A task offered while a poller waits goes straight to it (sync
 * match); otherwise it waits in the queue's backlog. The backlog is a view of durable transfer tasks, rebuilt
 * from Cassandra when a node takes shards over, so nothing here needs to be persisted again.
 *
 * <p>Invariant: a durable task is <em>held</em> here from its offer until the poll it was handed to settles it
 * ({@link #release}: started, or found stale) — or gives it back ({@link #requeue}). History's reconciliation
 * offers every task row of its shards again now and then; a held task ignores that, a task lost on the way
 * (an offer after a commit in doubt, a start that failed) is picked up by it.
 */
@ApplicationScoped
public class TaskQueues {

    /** A task queue of one namespace, for one kind of task (Temporal keeps workflow and activity queues apart). */
    record QueueKey(String namespaceId, String name, DispatchTask.Kind kind) {
    }

    /** A durable task's row: task ids are unique within a shard. */
    private record TaskKey(int shardId, long taskId) {
    }

    /** The expiry of durable tasks: they stay until a worker takes them. */
    private static final long NEVER = Long.MAX_VALUE;

    private final Map<QueueKey, TaskQueue> queues = new ConcurrentHashMap<>();
    /** Durable tasks held, with when matching first had each (System.currentTimeMillis): a backlog's age. */
    private final Map<TaskKey, Long> held = new ConcurrentHashMap<>();
    private final long idleNanos;
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aeon-poll-timeouts");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param idleTimeout how long a queue with no task and no poll stays in memory (Temporal unloads idle task
     *                    queues after a few minutes too); what a tenant's workers and commands can make this node
     *                    hold is the queues in use
     */
    public TaskQueues(@ConfigProperty(name = "aeon.data-plane.matching.idle-queue-timeout", defaultValue = "5m")
                      Duration idleTimeout) {
        this.idleNanos = idleTimeout.toNanos();
        long sweep = Math.max(100, idleTimeout.toMillis() / 2);
        timeouts.scheduleWithFixedDelay(this::evictIdle, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /** Queues a task for a worker; a durable task matching already holds is not queued twice. */
    public void offer(DispatchTask task) {
        long now = System.currentTimeMillis();
        if (isDurable(task) && !servedShards.test(task.shardId())) {
            return;
        }
        if (isDurable(task) && held.putIfAbsent(new TaskKey(task.shardId(), task.taskId()), now) != null) {
            return;
        }
        enqueue(task, now, true);
    }

    /** A task handed to a poll that did not start it (the caller went away, the start failed): queue it again. */
    public void requeue(DispatchTask task) {
        if (task.isPrestarted()) {
            // Started for that poll alone: nobody else may take it. Its start-to-close timeout hands the workflow
            // task out again, as Temporal recovers a start whose poll response was lost.
            return;
        }
        if (!isDurable(task)) {
            // A query's caller waits no longer than a long poll: keep it no longer either.
            offerQuery(task, System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
            return;
        }
        if (!servedShards.test(task.shardId())) {
            held.remove(new TaskKey(task.shardId(), task.taskId()));
            return; // its shard moved to another node, which hands it out from its row
        }
        long now = System.currentTimeMillis();
        Long offeredAt = held.putIfAbsent(new TaskKey(task.shardId(), task.taskId()), now);
        enqueue(task, offeredAt == null ? now : offeredAt, false);
    }

    /** The poll a task was handed to settled it: started, or stale. Matching forgets it. */
    public void release(DispatchTask task) {
        if (isDurable(task)) {
            held.remove(new TaskKey(task.shardId(), task.taskId()));
        }
    }

    /** Whether matching holds this durable task (queued, or handed to a poll that has not settled it). */
    public boolean holds(int shardId, long taskId) {
        return held.containsKey(new TaskKey(shardId, taskId));
    }

    private static boolean isDurable(DispatchTask task) {
        return task.queryId() == null;
    }

    /**
     * Queues a query task: in memory only, and dropped at {@code expiresAtNanos} ({@link System#nanoTime}) if no
     * worker took it by then, as its caller stopped waiting.
     */
    public void offerQuery(DispatchTask task, long expiresAtNanos) {
        QueueKey key = new QueueKey(task.namespaceId(), task.taskQueue(), task.kind());
        while (!queue(key).offer(task, expiresAtNanos, System.currentTimeMillis(), false)) {
            Thread.onSpinWait(); // the queue was evicted just now: take the new one
        }
    }

    /** @param added a task new to matching (not one given back), counted in the queue's add rate */
    private void enqueue(DispatchTask task, long offeredAtMillis, boolean added) {
        QueueKey key = new QueueKey(task.namespaceId(), task.taskQueue(), task.kind());
        while (!queue(key).offer(task, NEVER, offeredAtMillis, added)) {
            Thread.onSpinWait();
        }
    }

    /** Durable tasks of shards this node serves; the others are another node's to hand out. */
    private volatile java.util.function.IntPredicate servedShards = shard -> true;

    /** Which shards' durable tasks this node hands out (the history engine says, as shards come and go). */
    public void servedShards(java.util.function.IntPredicate served) {
        this.servedShards = served;
    }

    /**
     * This node gave the shard up: its durable tasks here are stale copies (the shard's new owner reloads them from
     * their rows) and must not reach a worker from this node.
     */
    public void dropShard(int shardId) {
        held.keySet().removeIf(key -> key.shardId() == shardId);
        queues.values().forEach(queue -> queue.dropShard(shardId));
    }

    /** Task queues in memory, for metrics and tests. */
    public int queueCount() {
        return queues.size();
    }

    /** Whether this queue is in memory, for tests. */
    public boolean isLoaded(String namespaceId, String name, DispatchTask.Kind kind) {
        return queues.containsKey(new QueueKey(namespaceId, name, kind));
    }

    /** Drops expired query tasks, and queues with nothing in them that nobody polled for the idle timeout. */
    private void evictIdle() {
        long now = System.nanoTime();
        queues.forEach((key, queue) -> queues.computeIfPresent(key, (k, q) -> q.retireIfIdle(now, idleNanos) ? null : q));
    }

    /**
     * Waits up to {@code timeout} for a task; completes with null when none came. Cancel the future when the
     * caller goes away; a task that reached a cancelled poll must be {@linkplain #requeue queued} again, and a
     * task handed out must be {@linkplain #release released} once its start settled. The poller is listed by
     * {@link #snapshot} from the poll's start, and its last access time moves again when the poll ends.
     */
    public CompletableFuture<DispatchTask> poll(String namespaceId, String name, DispatchTask.Kind kind,
                                                Duration timeout, Poller poller) {
        return poll(namespaceId, name, kind, timeout, poller, true);
    }

    /**
     * @param reservable whether a transition may {@linkplain #reserve reserve} this poll for a task it starts at once:
     *                   not for a poll that is one of several a worker's poll waits on across nodes, which may end
     *                   with another's task (a task started for it could then reach nobody)
     */
    public CompletableFuture<DispatchTask> poll(String namespaceId, String name, DispatchTask.Kind kind,
                                                Duration timeout, Poller poller, boolean reservable) {
        QueueKey key = new QueueKey(namespaceId, name, kind);
        TaskQueue found = queue(key);
        CompletableFuture<DispatchTask> polled;
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((polled = found.poll(poller, deadline, reservable)) == null) {
            found = queue(key); // the queue was evicted just now: take the new one
        }
        TaskQueue queue = found;
        CompletableFuture<DispatchTask> poll = polled;
        if (!poll.isDone()) {
            timeouts.schedule(() -> {
                if (poll.complete(null)) {
                    queue.forget(poll);
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            poll.whenComplete((task, error) -> {
                if (poll.isCancelled()) {
                    queue.forget(poll);
                }
                queue.pollEnded(poller);
            });
        }
        return poll;
    }

    /** A poll taken out of its queue for one task, which {@link #hand} gives it, or {@link #giveBack} returns. */
    public interface Reservation {
        /** The worker that polls. */
        Poller poller();

        /** Hands the poll its task; false when the poll ended meanwhile (its caller went away). */
        boolean hand(DispatchTask task);

        /** The task did not come after all: the poll waits in its queue again. */
        void giveBack();
    }

    /**
     * Takes a poll waiting on the queue out of it, for a task about to be created for it, if one waits with at
     * least {@code minRemaining} of its long poll left (so it does not end while the task's transition commits).
     */
    public Optional<Reservation> reserve(String namespaceId, String name, DispatchTask.Kind kind, Duration minRemaining) {
        TaskQueue queue = queues.get(new QueueKey(namespaceId, name, kind));
        return queue == null ? Optional.empty() : queue.reserve(System.nanoTime() + minRemaining.toNanos());
    }

    /** Tasks waiting for a worker, for metrics and tests. */
    public int backlog(String namespaceId, String name, DispatchTask.Kind kind) {
        TaskQueue queue = queues.get(new QueueKey(namespaceId, name, kind));
        return queue == null ? 0 : queue.size();
    }

    /** The queue's pollers and backlog now; a queue not in memory is {@link TaskQueueSnapshot#EMPTY} (and stays out). */
    public TaskQueueSnapshot snapshot(String namespaceId, String name, DispatchTask.Kind kind) {
        TaskQueue queue = queues.get(new QueueKey(namespaceId, name, kind));
        return queue == null ? TaskQueueSnapshot.EMPTY : queue.snapshot(System.currentTimeMillis());
    }

    private TaskQueue queue(QueueKey key) {
        return queues.computeIfAbsent(key, k -> new TaskQueue());
    }

    @PreDestroy
    void stop() {
        timeouts.shutdownNow();
    }

    /**
     * One queue's backlog and waiting polls. Once evicted ({@code retired}) it takes nothing more: callers that
     * still hold it go back to the map for the queue that replaced it.
     */
    private static final class TaskQueue {
        private record Queued(DispatchTask task, long expiresAtNanos, long offeredAtMillis) {
            boolean expired(long now) {
                return expiresAtNanos != NEVER && expiresAtNanos - now <= 0;
            }
        }

        private final Deque<Queued> backlog = new ArrayDeque<>();
        /** A poll waiting for a task: who polls, and when its long poll ends ({@link System#nanoTime}). */
        private record Waiting(CompletableFuture<DispatchTask> future, Poller poller, long deadlineNanos,
                               boolean reservable) {
        }

        private final Deque<Waiting> pollers = new ArrayDeque<>();
        private final PollerHistory pollerHistory = new PollerHistory();
        private final TaskRate added = new TaskRate(System.currentTimeMillis());
        private final TaskRate dispatched = new TaskRate(System.currentTimeMillis());
        private long lastUsedNanos = System.nanoTime();
        private boolean retired;

        /** False when the queue was evicted: offer to the queue that replaced it. */
        synchronized boolean offer(DispatchTask task, long expiresAtNanos, long offeredAtMillis, boolean isNew) {
            if (retired) {
                return false;
            }
            lastUsedNanos = System.nanoTime();
            long nowMillis = System.currentTimeMillis();
            if (isNew && isDurable(task)) {
                added.count(nowMillis);
            }
            Waiting poller;
            while ((poller = pollers.poll()) != null) {
                if (poller.future().complete(task)) {
                    countDispatch(task, nowMillis);
                    return true;
                }
            }
            backlog.add(new Queued(task, expiresAtNanos, offeredAtMillis));
            return true;
        }

        /** Null when the queue was evicted: poll the queue that replaced it. */
        synchronized CompletableFuture<DispatchTask> poll(Poller poller, long deadlineNanos, boolean reservable) {
            if (retired) {
                return null;
            }
            long now = System.nanoTime();
            lastUsedNanos = now;
            long nowMillis = System.currentTimeMillis();
            pollerHistory.record(poller, nowMillis);
            Queued queued;
            while ((queued = backlog.poll()) != null) {
                if (!queued.expired(now)) {
                    countDispatch(queued.task(), nowMillis);
                    return CompletableFuture.completedFuture(queued.task());
                }
            }
            CompletableFuture<DispatchTask> waiting = new CompletableFuture<>();
            pollers.add(new Waiting(waiting, poller, deadlineNanos, reservable));
            return waiting;
        }

        synchronized void forget(CompletableFuture<DispatchTask> poller) {
            pollers.removeIf(waiting -> waiting.future() == poller);
        }

        synchronized Optional<Reservation> reserve(long notBeforeNanos) {
            for (java.util.Iterator<Waiting> it = pollers.iterator(); it.hasNext(); ) {
                Waiting waiting = it.next();
                if (waiting.future().isDone()) {
                    it.remove();
                } else if (waiting.reservable() && waiting.deadlineNanos() - notBeforeNanos > 0) {
                    it.remove();
                    return Optional.of(new Reservation() {
                        @Override
                        public Poller poller() {
                            return waiting.poller();
                        }

                        @Override
                        public boolean hand(DispatchTask task) {
                            boolean handed = waiting.future().complete(task);
                            if (handed) {
                                synchronized (TaskQueue.this) {
                                    dispatched.count(System.currentTimeMillis());
                                }
                            }
                            return handed;
                        }

                        @Override
                        public void giveBack() {
                            synchronized (TaskQueue.this) {
                                if (!waiting.future().isDone()) {
                                    pollers.addFirst(waiting);
                                }
                            }
                        }
                    });
                }
            }
            return Optional.empty();
        }

        /** A poll that waited ended (a task, its timeout, or its caller gone): the worker was here until now. */
        synchronized void pollEnded(Poller poller) {
            lastUsedNanos = System.nanoTime();
            pollerHistory.record(poller, System.currentTimeMillis());
        }

        private void countDispatch(DispatchTask task, long nowMillis) {
            if (isDurable(task)) {
                dispatched.count(nowMillis);
            }
        }

        synchronized TaskQueueSnapshot snapshot(long nowMillis) {
            int waiting = 0;
            long oldest = nowMillis;
            for (Queued queued : backlog) {
                if (isDurable(queued.task())) {
                    waiting++;
                    oldest = Math.min(oldest, queued.offeredAtMillis());
                }
            }
            return new TaskQueueSnapshot(pollerHistory.recent(nowMillis), waiting, Duration.ofMillis(nowMillis - oldest),
                    added.perSecond(nowMillis), dispatched.perSecond(nowMillis), pollerHistory.sticky());
        }

        synchronized void dropShard(int shardId) {
            backlog.removeIf(queued -> isDurable(queued.task()) && queued.task().shardId() == shardId);
        }

        synchronized int size() {
            return backlog.size();
        }

        synchronized boolean retireIfIdle(long now, long idleNanos) {
            backlog.removeIf(queued -> queued.expired(now));
            pollers.removeIf(waiting -> waiting.future().isDone());
            pollerHistory.forgetExpired(System.currentTimeMillis());
            if (backlog.isEmpty() && pollers.isEmpty() && now - lastUsedNanos >= idleNanos) {
                retired = true;
            }
            return retired;
        }
    }
}
