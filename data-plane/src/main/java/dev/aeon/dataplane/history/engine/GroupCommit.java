package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.persistence.ExecutionStore;
import dev.aeon.dataplane.persistence.ExecutionStore.ConcurrentUpdateException;
import dev.aeon.dataplane.persistence.ExecutionStore.TaskRecord;
import dev.aeon.dataplane.persistence.ExecutionStore.Transition;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit: transitions of different runs of one shard that are ready at the same moment commit together, in
 * one conditional batch under the shard's fence, so a Paxos round (the costly part of a Cassandra commit) is paid
 * once for many transitions. A transition queues while its shard's previous batch is in flight and then goes with
 * every transition that queued meanwhile (up to {@code maxTransitions} and {@code maxBytes}, below Cassandra's
 * batch size limit). A lone transition waits for nothing; a busy shard batches by itself.
 *
 * <p>Each caller gets its own transition's outcome, as if it had committed alone: a group refused because one of
 * its runs changed underneath commits again one by one, so only that run's caller sees the conflict; a lost fence
 * or a write in doubt (timeout) is every member's outcome, and the engine handles each as it handles one.
 */
final class GroupCommit {

    private final ExecutionStore store;
    private final int maxTransitions;
    private final long maxBytes;
    private final Shard[] shards;
    private final ExecutorService committers;
    private final DistributionSummary groupSizes;

    GroupCommit(ExecutionStore store, int shardCount, int maxTransitions, long maxBytes, MeterRegistry metrics) {
        this.store = store;
        this.maxTransitions = Math.max(1, maxTransitions);
        this.maxBytes = maxBytes;
        this.shards = new Shard[shardCount];
        for (int i = 0; i < shardCount; i++) {
            shards[i] = new Shard();
        }
        AtomicInteger threads = new AtomicInteger();
        // One drain per shard at a time, so a thread per shard is the most that can be busy.
        this.committers = Executors.newFixedThreadPool(shardCount, r -> {
            Thread t = new Thread(r, "aeon-group-commit-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.groupSizes = DistributionSummary.builder("aeon.history.group.commit.size")
                .description("Transitions committed together in one conditional batch").register(metrics);
    }

    /** Commits {@code transition} with whatever else of its shard is ready; throws what the store's commit throws. */
    void commit(Transition transition) {
        Pending pending = new Pending(transition, bytes(transition));
        shards[transition.shardId()].submit(pending);
        try {
            pending.done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    void stop() {
        committers.shutdownNow();
    }

    private record Pending(Transition transition, long bytes, CompletableFuture<Void> done) {
        Pending(Transition transition, long bytes) {
            this(transition, bytes, new CompletableFuture<>());
        }
    }

    private final class Shard {
        private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
        private boolean draining;

        void submit(Pending pending) {
            boolean start;
            synchronized (this) {
                waiting.add(pending);
                start = !draining;
                draining = true;
            }
            if (start) {
                committers.execute(this::drain);
            }
        }

        private void drain() {
            while (true) {
                List<Pending> group = new ArrayList<>();
                synchronized (this) {
                    long bytes = 0;
                    while (!waiting.isEmpty() && group.size() < maxTransitions
                            && (group.isEmpty() || bytes + waiting.peek().bytes() <= maxBytes)) {
                        Pending next = waiting.poll();
                        bytes += next.bytes();
                        group.add(next);
                    }
                    if (group.isEmpty()) {
                        draining = false;
                        return;
                    }
                }
                commitGroup(group);
            }
        }
    }

    private void commitGroup(List<Pending> group) {
        groupSizes.record(group.size());
        if (group.size() == 1) {
            commitAlone(group.get(0));
            return;
        }
        try {
            store.commitAll(group.stream().map(Pending::transition).toList());
            group.forEach(p -> p.done().complete(null));
        } catch (ConcurrentUpdateException e) {
            group.forEach(this::commitAlone); // nothing applied; find out whose run changed
        } catch (RuntimeException e) {
            group.forEach(p -> p.done().completeExceptionally(e));
        }
    }

    private void commitAlone(Pending pending) {
        try {
            store.commit(pending.transition());
            pending.done().complete(null);
        } catch (RuntimeException e) {
            pending.done().completeExceptionally(e);
        }
    }

    /** Roughly what the transition adds to a batch, against Cassandra's batch size limit. */
    private static long bytes(Transition t) {
        long bytes = 200L + t.execution().length + (t.currentRun() == null ? 0 : t.currentRun().length)
                + (t.successor() == null ? 0 : t.successor().execution().length);
        for (TaskRecord task : t.newTasks()) {
            bytes += 100 + task.data().length;
        }
        return bytes + 100L * t.completedTasks().size();
    }
}
