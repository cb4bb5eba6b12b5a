package dev.aeon.dataplane.history.visibility;

import dev.aeon.dataplane.visibility.store.VisibilityStore;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Group commit for visibility records: the records that tasks ask to write while the previous write is in flight
 * are written together, in one transaction (one commit, one round trip, instead of one each). A lone record waits
 * for nothing. Each caller learns its own outcome: when a group fails, its records are written one by one, so one
 * record the store refuses does not fail the others.
 */
final class UpsertBatches {

    private static final Logger LOG = Logger.getLogger(UpsertBatches.class);
    /** Records per write, and so the tasks worth running at once. */
    static final int MAX_RECORDS = 64;

    private record Pending(VisibilityStore.Upsert upsert, CompletableFuture<Void> written) {
    }

    private final VisibilityStore store;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;

    UpsertBatches(VisibilityStore store) {
        this.store = store;
        this.writer = new Thread(this::run, "aeon-visibility-write");
        writer.setDaemon(true);
        writer.start();
    }

    /** Writes the record with others waiting at the same moment; returns once it is committed, or throws. */
    void write(VisibilityStore.Upsert upsert) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        queue.add(new Pending(upsert, written));
        try {
            written.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    void stop() {
        writer.interrupt();
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(group, MAX_RECORDS - 1);
            write(group);
            group.clear();
        }
    }

    private void write(List<Pending> group) {
        try {
            store.upsertAll(group.stream().map(Pending::upsert).toList());
            group.forEach(pending -> pending.written().complete(null));
        } catch (RuntimeException groupFailed) {
            if (group.size() == 1) {
                group.get(0).written().completeExceptionally(groupFailed);
                return;
            }
            LOG.debugf("a group of %d visibility records failed (%s); writing them one by one", group.size(),
                    groupFailed.getMessage());
            for (Pending pending : group) {
                try {
                    store.upsert(pending.upsert().record(), pending.upsert().customAttributes());
                    pending.written().complete(null);
                } catch (RuntimeException e) {
                    pending.written().completeExceptionally(e);
                }
            }
        }
    }
}
