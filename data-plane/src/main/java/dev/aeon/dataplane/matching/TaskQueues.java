package dev.aeon.dataplane.matching;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
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

    private final Map<QueueKey, TaskQueue> queues = new ConcurrentHashMap<>();
    private final Set<TaskKey> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aeon-poll-timeouts");
        t.setDaemon(true);
        return t;
    });

    /** Queues a task for a worker; a durable task matching already holds is not queued twice. */
    public void offer(DispatchTask task) {
        if (isDurable(task) && !held.add(new TaskKey(task.shardId(), task.taskId()))) {
            return;
        }
        enqueue(task);
    }

    /** A task handed to a poll that did not start it (the caller went away, the start failed): queue it again. */
    public void requeue(DispatchTask task) {
        if (isDurable(task)) {
            held.add(new TaskKey(task.shardId(), task.taskId()));
        }
        enqueue(task);
    }

    /** The poll a task was handed to settled it: started, or stale. Matching forgets it. */
    public void release(DispatchTask task) {
        if (isDurable(task)) {
            held.remove(new TaskKey(task.shardId(), task.taskId()));
        }
    }

    /** Whether matching holds this durable task (queued, or handed to a poll that has not settled it). */
    public boolean holds(int shardId, long taskId) {
        return held.contains(new TaskKey(shardId, taskId));
    }

    private static boolean isDurable(DispatchTask task) {
        return task.queryId() == null;
    }

    private void enqueue(DispatchTask task) {
        queue(new QueueKey(task.namespaceId(), task.taskQueue(), task.kind())).offer(task);
    }

    /**
     * Waits up to {@code timeout} for a task; completes with null when none came. Cancel the future when the
     * caller goes away; a task that reached a cancelled poll must be {@linkplain #requeue queued} again, and a
     * task handed out must be {@linkplain #release released} once its start settled.
     */
    public CompletableFuture<DispatchTask> poll(String namespaceId, String name, DispatchTask.Kind kind,
                                                Duration timeout) {
        TaskQueue queue = queue(new QueueKey(namespaceId, name, kind));
        CompletableFuture<DispatchTask> poll = queue.poll();
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
            });
        }
        return poll;
    }

    /** Tasks waiting for a worker, for describe and metrics. */
    public int backlog(String namespaceId, String name, DispatchTask.Kind kind) {
        TaskQueue queue = queues.get(new QueueKey(namespaceId, name, kind));
        return queue == null ? 0 : queue.size();
    }

    private TaskQueue queue(QueueKey key) {
        return queues.computeIfAbsent(key, k -> new TaskQueue());
    }

    @PreDestroy
    void stop() {
        timeouts.shutdownNow();
    }

    private static final class TaskQueue {
        private final Deque<DispatchTask> backlog = new ArrayDeque<>();
        private final Deque<CompletableFuture<DispatchTask>> pollers = new ArrayDeque<>();

        synchronized void offer(DispatchTask task) {
            CompletableFuture<DispatchTask> poller;
            while ((poller = pollers.poll()) != null) {
                if (poller.complete(task)) {
                    return;
                }
            }
            backlog.add(task);
        }

        synchronized CompletableFuture<DispatchTask> poll() {
            DispatchTask task = backlog.poll();
            if (task != null) {
                return CompletableFuture.completedFuture(task);
            }
            CompletableFuture<DispatchTask> poller = new CompletableFuture<>();
            pollers.add(poller);
            return poller;
        }

        synchronized void forget(CompletableFuture<DispatchTask> poller) {
            pollers.remove(poller);
        }

        synchronized int size() {
            return backlog.size();
        }
    }
}
