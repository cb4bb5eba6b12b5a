package dev.aeon.dataplane.history.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Long polls on a run's history (clients waiting for new events or for the result), woken after each commit. */
final class HistoryWaiters {

    private final Map<String, List<CompletableFuture<Void>>> byRun = new ConcurrentHashMap<>();

    /** Completes at the run's next commit. */
    CompletableFuture<Void> next(String runId) {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        byRun.compute(runId, (id, list) -> {
            List<CompletableFuture<Void>> waiters = list == null ? new ArrayList<>() : list;
            waiters.add(waiter);
            return waiters;
        });
        return waiter;
    }

    void notify(String runId) {
        List<CompletableFuture<Void>> waiters = byRun.remove(runId);
        if (waiters != null) {
            waiters.forEach(w -> w.complete(null));
        }
    }

    /** The run's long polls must end with {@code error} (its shard moved to another node, which serves them now). */
    void fail(String runId, Throwable error) {
        List<CompletableFuture<Void>> waiters = byRun.remove(runId);
        if (waiters != null) {
            waiters.forEach(w -> w.completeExceptionally(error));
        }
    }

    int count() {
        return byRun.values().stream().mapToInt(List::size).sum();
    }

    void forget(String runId, CompletableFuture<Void> waiter) {
        byRun.computeIfPresent(runId, (id, list) -> {
            list.remove(waiter);
            return list.isEmpty() ? null : list;
        });
    }
}
