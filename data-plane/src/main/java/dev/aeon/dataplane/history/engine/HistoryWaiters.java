package dev.aeon.dataplane.history.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Long polls on a run's history (clients waiting for new events or for the result), woken after each commit. */
final class HistoryWaiters {

    /** The long polls on one run, and the shard the run is in (they all end when this node gives it up). */
    private record Waiting(int shardId, List<CompletableFuture<Void>> waiters) {
    }

    private final Map<String, Waiting> byRun = new ConcurrentHashMap<>();

    /** Completes at the next commit of {@code runId}, a run of shard {@code shardId}. */
    CompletableFuture<Void> next(int shardId, String runId) {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        byRun.compute(runId, (id, waiting) -> {
            Waiting now = waiting == null ? new Waiting(shardId, new ArrayList<>()) : waiting;
            now.waiters().add(waiter);
            return now;
        });
        return waiter;
    }

    void notify(String runId) {
        Waiting waiting = byRun.remove(runId);
        if (waiting != null) {
            waiting.waiters().forEach(w -> w.complete(null));
        }
    }

    /**
     * This node gave the shard up: every long poll on its runs ends with {@code error}, cached run or not, since
     * their commits happen on the shard's new owner from now on.
     */
    void failShard(int shardId, Throwable error) {
        for (String runId : List.copyOf(byRun.keySet())) {
            Waiting[] removed = new Waiting[1];
            byRun.computeIfPresent(runId, (id, waiting) -> {
                if (waiting.shardId() != shardId) {
                    return waiting;
                }
                removed[0] = waiting;
                return null;
            });
            if (removed[0] != null) {
                removed[0].waiters().forEach(w -> w.completeExceptionally(error));
            }
        }
    }

    int count() {
        return byRun.values().stream().mapToInt(waiting -> waiting.waiters().size()).sum();
    }

    void forget(String runId, CompletableFuture<Void> waiter) {
        byRun.computeIfPresent(runId, (id, waiting) -> {
            waiting.waiters().remove(waiter);
            return waiting.waiters().isEmpty() ? null : waiting;
        });
    }
}
