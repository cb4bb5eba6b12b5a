package dev.aeon.dataplane.matching;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Matching: hands tasks to workers' long polls. A task offered while a poller waits goes straight to it (sync
 * match); otherwise it waits in the queue's backlog. The backlog is a view of durable transfer tasks, rebuilt
 * from Cassandra when a node takes shards over, so nothing here needs to be persisted again.
 */
@ApplicationScoped
public class TaskQueues {

    /** A task queue of one namespace, for one kind of task (Temporal keeps workflow and activity queues apart). */
    record QueueKey(String namespaceId, String name, DispatchTask.Kind kind) {
    }

    private final Map<QueueKey, TaskQueue> queues = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aeon-poll-timeouts");
        t.setDaemon(true);
        return t;
    });

    public void offer(DispatchTask task) {
        queue(new QueueKey(task.namespaceId(), task.taskQueue(), task.kind())).offer(task);
    }

    /**
     * Waits up to {@code timeout} for a task; completes with null when none came. Cancel the future when the
     * caller goes away; a task that reached a cancelled poll must be {@linkplain #offer offered} again.
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
