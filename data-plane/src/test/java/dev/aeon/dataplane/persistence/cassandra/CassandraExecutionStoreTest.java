package dev.aeon.dataplane.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.aeon.dataplane.persistence.ExecutionStore;
import dev.aeon.dataplane.persistence.ExecutionStore.TaskKind;
import dev.aeon.dataplane.persistence.ExecutionStore.TaskRecord;
import dev.aeon.dataplane.persistence.ExecutionStore.Transition;
import dev.aeon.dataplane.persistence.ExecutionStoreContract;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.history.v1.HistoryEvent;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class CassandraExecutionStoreTest extends ExecutionStoreContract {

    @Inject
    CassandraExecutionStore store;

    @Inject
    CqlSession session;

    @Override
    protected ExecutionStore store() {
        return store;
    }

    /**
     * A busy shard consumes task rows all day; each leaves a tombstone in the shard's partition. Twice Cassandra's
     * tombstone failure threshold (100,000 per read) of them must not stop the next owner's start-up recovery,
     * nor slow it down.
     */
    @Test
    void startUpRecoveryReadsPastTwoHundredThousandConsumedTasks() {
        int shard = 100_000 + ThreadLocalRandom.current().nextInt(1_000_000);
        long range = store.acquireShard(shard, "node-a");
        int consumed = 200_000;
        long base = range << 32;
        deleteTransferRows(shard, base + 1, consumed);
        long firstPending = base + consumed + 1;
        TaskRecord pending = new TaskRecord(shard, TaskKind.TRANSFER, firstPending, 0,
                "pending".getBytes(StandardCharsets.UTF_8));
        TaskRecord timer = new TaskRecord(shard, TaskKind.TIMER, firstPending + 1, System.currentTimeMillis() + 60_000,
                "timer".getBytes(StandardCharsets.UTF_8));
        store.commit(new Transition(shard, range, "ns", "wf", "run", 0, new byte[] {1}, null,
                List.of(pending, timer), List.of(), null));
        // What reconciliation records once every row below the pending one is consumed.
        store.advanceAckLevels(shard, range, firstPending, System.currentTimeMillis() - 60_000);

        long nextOwner = store.acquireShard(shard, "node-b");
        long started = System.nanoTime();
        List<TaskRecord> recovered = store.pendingTasks(shard);
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(nextOwner > range);
        assertEquals(List.of(firstPending, firstPending + 1), recovered.stream().map(TaskRecord::taskId).toList());
        assertTrue(millis < 2_000, "recovery read took " + millis + " ms");
    }

    /** A range of a run reads the batches that hold it, not the run's whole partition: a broken batch before it is never parsed. */
    @Test
    void aHistoryRangeReadsOnlyItsBatches() {
        String run = java.util.UUID.randomUUID().toString();
        session.execute("INSERT INTO history_node (run_id, first_event_id, txn_id, events) VALUES (?, 1, 1, 0xff)", run);
        store.appendHistory(run, 2, 2, List.of(HistoryEvent.newBuilder().setEventId(2).build(),
                HistoryEvent.newBuilder().setEventId(3).build()));
        store.appendHistory(run, 4, 3, List.of(HistoryEvent.newBuilder().setEventId(4).build()));

        assertEquals(List.of(3L, 4L), store.readHistory(run, 3, 5, 3).stream().map(HistoryEvent::getEventId).toList());
    }

    @Test
    void aShardWrittenBeforeTheShardRowExistedIsTakenOverWithItsPendingTasks() {
        int shard = 100_000 + ThreadLocalRandom.current().nextInt(1_000_000);
        // As V2's layout left it: the fence only in the static column, task rows, no shard row, no ack levels.
        session.execute("UPDATE executions SET range_id = 5, owner = 'old' WHERE shard_id = ?", shard);
        session.execute("INSERT INTO executions (shard_id, row_type, namespace_id, workflow_id, run_id, task_time, "
                + "task_id, data) VALUES (?, 3, '', '', '', ?, 7, 0x01)", shard, Instant.EPOCH);

        assertEquals(6, store.acquireShard(shard, "node-a"));
        assertEquals(List.of(7L), store.pendingTasks(shard).stream().map(TaskRecord::taskId).toList());
        assertEquals(7, store.acquireShard(shard, "node-b"));
    }

    /** Tombstones as consumed rows leave them: one row deletion each, in unlogged single-partition batches. */
    private void deleteTransferRows(int shard, long firstTaskId, int count) {
        PreparedStatement delete = session.prepare("DELETE FROM executions WHERE shard_id = ? AND row_type = 3 "
                + "AND namespace_id = '' AND workflow_id = '' AND run_id = '' AND task_time = ? AND task_id = ?");
        List<CompletableFuture<AsyncResultSet>> inFlight = new ArrayList<>();
        for (int i = 0; i < count; i += 500) {
            BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
            for (int j = i; j < Math.min(count, i + 500); j++) {
                batch.addStatement(delete.bind(shard, Instant.EPOCH, firstTaskId + j));
            }
            CompletionStage<AsyncResultSet> write = session.executeAsync(batch.build());
            inFlight.add(write.toCompletableFuture());
            if (inFlight.size() >= 16) {
                inFlight.forEach(CompletableFuture::join);
                inFlight.clear();
            }
        }
        inFlight.forEach(CompletableFuture::join);
    }
}
