package dev.aeon.dataplane.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.aeon.dataplane.persistence.ExecutionStore;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link ExecutionStore} on Cassandra, laid out as Temporal lays it out: one partition per shard in
 * {@code executions}, history batches in {@code history_node}. Statements are prepared once.
 */
@ApplicationScoped
public class CassandraExecutionStore implements ExecutionStore {

    /** cluster_metadata: the keyspace's number of history shards. */
    private static final String HISTORY_SHARDS = "history_shards";
    private static final byte CURRENT = 1;
    private static final byte EXECUTION = 2;
    private static final byte TRANSFER = 3;
    private static final byte TIMER = 4;
    private static final Instant NO_TIME = Instant.EPOCH;

    private final CqlSession session;
    private final PreparedStatement readShard;
    private final PreparedStatement readLegacyRange;
    private final PreparedStatement claimShard;
    private final PreparedStatement readRecord;
    private final PreparedStatement writeExecution;
    private final PreparedStatement writeCurrent;
    private final PreparedStatement insertTask;
    private final PreparedStatement deleteTask;
    private final PreparedStatement deleteTaskFenced;
    private final PreparedStatement readTransfers;
    private final PreparedStatement readTimers;
    private final PreparedStatement readTimersBefore;
    private final PreparedStatement advanceAckLevels;
    private final PreparedStatement appendHistory;
    private final PreparedStatement runsOf;
    private final PreparedStatement requestPurge;
    private final PreparedStatement purgesRequested;
    private final PreparedStatement purgeFinished;
    private final PreparedStatement findBatchStart;
    private final PreparedStatement readHistory;
    private final PreparedStatement deleteExecution;
    private final PreparedStatement deleteCurrent;
    private final PreparedStatement deleteHistory;
    private final PreparedStatement readMetadata;
    private final PreparedStatement recordMetadata;
    private final PreparedStatement shardsWritten;

    public CassandraExecutionStore(CqlSession session) {
        this.session = session;
        // Shard-level statements name the shard row: Cassandra then reads that one row (and the static fence),
        // never the partition's tombstones (see V4__task_ack_levels.cql).
        readShard = session.prepare("SELECT range_id, transfer_ack, timer_ack FROM executions WHERE shard_id = ? "
                + "AND row_type = 0 AND namespace_id = '' AND workflow_id = '' AND run_id = '' AND task_time = ? "
                + "AND task_id = 0");
        readLegacyRange = session.prepare("SELECT range_id FROM executions WHERE shard_id = ? LIMIT 1");
        claimShard = session.prepare("UPDATE executions SET range_id = ?, owner = ?, transfer_ack = ? "
                + "WHERE shard_id = ? AND row_type = 0 AND namespace_id = '' AND workflow_id = '' AND run_id = '' "
                + "AND task_time = ? AND task_id = 0 IF range_id = ?");
        readRecord = session.prepare("SELECT data, db_version FROM executions WHERE shard_id = ? AND row_type = ? "
                + "AND namespace_id = ? AND workflow_id = ? AND run_id = ? AND task_time = ? AND task_id = 0");
        writeExecution = session.prepare("UPDATE executions SET data = ?, db_version = ? WHERE shard_id = ? "
                + "AND row_type = 2 AND namespace_id = ? AND workflow_id = ? AND run_id = ? AND task_time = ? "
                + "AND task_id = 0 IF range_id = ? AND db_version = ?");
        writeCurrent = session.prepare("UPDATE executions SET data = ? WHERE shard_id = ? AND row_type = 1 "
                + "AND namespace_id = ? AND workflow_id = ? AND run_id = '' AND task_time = ? AND task_id = 0");
        insertTask = session.prepare("INSERT INTO executions (shard_id, row_type, namespace_id, workflow_id, run_id, "
                + "task_time, task_id, data) VALUES (?, ?, '', '', '', ?, ?, ?)");
        deleteTask = session.prepare("DELETE FROM executions WHERE shard_id = ? AND row_type = ? AND namespace_id = '' "
                + "AND workflow_id = '' AND run_id = '' AND task_time = ? AND task_id = ?");
        deleteTaskFenced = session.prepare("DELETE FROM executions WHERE shard_id = ? AND row_type = ? "
                + "AND namespace_id = '' AND workflow_id = '' AND run_id = '' AND task_time = ? AND task_id = ? "
                + "IF range_id = ?");
        // Slices that begin at the ack levels: Cassandra seeks to their start, past the consumed rows.
        readTransfers = session.prepare("SELECT task_id, data FROM executions WHERE shard_id = ? AND row_type = 3 "
                + "AND (namespace_id, workflow_id, run_id, task_time, task_id) >= ('', '', '', ?, ?)");
        readTimersBefore = session.prepare("SELECT task_time, task_id, data FROM executions WHERE shard_id = ? "
                + "AND row_type = 4 AND (namespace_id, workflow_id, run_id, task_time, task_id) >= ('', '', '', ?, 0) "
                + "AND (namespace_id, workflow_id, run_id, task_time, task_id) < ('', '', '', ?, 0)");
        readTimers = session.prepare("SELECT task_time, task_id, data FROM executions WHERE shard_id = ? "
                + "AND row_type = 4 AND (namespace_id, workflow_id, run_id, task_time, task_id) >= ('', '', '', ?, 0)");
        advanceAckLevels = session.prepare("UPDATE executions SET transfer_ack = ?, timer_ack = ? WHERE shard_id = ? "
                + "AND row_type = 0 AND namespace_id = '' AND workflow_id = '' AND run_id = '' AND task_time = ? "
                + "AND task_id = 0 IF range_id = ?");
        appendHistory = session.prepare(
                "INSERT INTO history_node (run_id, first_event_id, txn_id, events) VALUES (?, ?, ?, ?)");
        runsOf = session.prepare("SELECT workflow_id, run_id FROM executions WHERE shard_id = ? AND row_type = 2 "
                + "AND namespace_id = ? LIMIT ?");
        requestPurge = session.prepare("INSERT INTO namespace_purges (namespace_id, requested_at) VALUES (?, ?)");
        purgesRequested = session.prepare("SELECT namespace_id FROM namespace_purges");
        readMetadata = session.prepare("SELECT value FROM cluster_metadata WHERE name = ?");
        recordMetadata = session.prepare("INSERT INTO cluster_metadata (name, value) VALUES (?, ?) IF NOT EXISTS");
        shardsWritten = session.prepare("SELECT DISTINCT shard_id FROM executions");
        purgeFinished = session.prepare("DELETE FROM namespace_purges WHERE namespace_id = ?");
        findBatchStart = session.prepare("SELECT first_event_id FROM history_node WHERE run_id = ? "
                + "AND first_event_id <= ? ORDER BY first_event_id DESC LIMIT 1");
        readHistory = session.prepare("SELECT first_event_id, txn_id, events FROM history_node WHERE run_id = ? "
                + "AND first_event_id >= ? AND first_event_id < ?");
        deleteExecution = session.prepare("DELETE FROM executions WHERE shard_id = ? AND row_type = 2 "
                + "AND namespace_id = ? AND workflow_id = ? AND run_id = ? AND task_time = ? AND task_id = 0 "
                + "IF range_id = ?");
        deleteCurrent = session.prepare("DELETE FROM executions WHERE shard_id = ? AND row_type = 1 "
                + "AND namespace_id = ? AND workflow_id = ? AND run_id = '' AND task_time = ? AND task_id = 0");
        deleteHistory = session.prepare("DELETE FROM history_node WHERE run_id = ?");
    }

    @Override
    public int historyShards(int forNewKeyspace) {
        Row recorded = session.execute(readMetadata.bind(HISTORY_SHARDS)
                .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_SERIAL)).one();
        if (recorded != null) {
            return Integer.parseInt(recorded.getString("value"));
        }
        // Before the count was recorded every shard's partition was claimed at start-up: they show the count.
        int legacy = 0;
        for (Row row : session.execute(shardsWritten.bind())) {
            legacy = Math.max(legacy, row.getInt("shard_id") + 1);
        }
        int count = legacy > 0 ? legacy : forNewKeyspace;
        ResultSet result = session.execute(recordMetadata.bind(HISTORY_SHARDS, Integer.toString(count)));
        // Another node recording first wins; its value comes back with the refused insert.
        return result.wasApplied() ? count : Integer.parseInt(result.one().getString("value"));
    }

    @Override
    public long acquireShard(int shardId, String owner) {
        while (true) {
            Row row = shardRow(shardId);
            Long current = row == null || row.isNull("range_id") ? null : row.getLong("range_id");
            long ack = row == null || !row.getColumnDefinitions().contains("transfer_ack")
                    || row.isNull("transfer_ack") ? 0 : row.getLong("transfer_ack");
            long next = current == null ? 1 : current + 1;
            if (session.execute(claimShard.bind(next, owner, ack, shardId, NO_TIME, current)).wasApplied()) {
                return next;
            }
        }
    }

    @Override
    public long rangeId(int shardId) {
        Row row = shardRow(shardId);
        return row == null || row.isNull("range_id") ? 0 : row.getLong("range_id");
    }

    private Row shardRow(int shardId) {
        Row row = session.execute(readShard.bind(shardId, NO_TIME)).one();
        return row != null ? row : session.execute(readLegacyRange.bind(shardId)).one(); // before the shard row
    }

    @Override
    public Optional<StoredRecord> currentRun(int shardId, String namespaceId, String workflowId) {
        return read(CURRENT, shardId, namespaceId, workflowId, "");
    }

    @Override
    public Optional<StoredRecord> execution(int shardId, String namespaceId, String workflowId, String runId) {
        return read(EXECUTION, shardId, namespaceId, workflowId, runId);
    }

    @Override
    public Optional<StoredRecord> settledExecution(int shardId, String namespaceId, String workflowId, String runId) {
        return read(readRecord.bind(shardId, EXECUTION, namespaceId, workflowId, runId, NO_TIME)
                .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_SERIAL));
    }

    private Optional<StoredRecord> read(byte type, int shardId, String namespaceId, String workflowId, String runId) {
        return read(readRecord.bind(shardId, type, namespaceId, workflowId, runId, NO_TIME));
    }

    private Optional<StoredRecord> read(BoundStatement statement) {
        Row row = session.execute(statement).one();
        if (row == null || row.isNull("data")) {
            return Optional.empty();
        }
        return Optional.of(new StoredRecord(bytes(row.getByteBuffer("data")),
                row.isNull("db_version") ? 0 : row.getLong("db_version")));
    }

    @Override
    public void appendHistory(String runId, long firstEventId, long txnId, List<HistoryEvent> events) {
        byte[] batch = History.newBuilder().addAllEvents(events).build().toByteArray();
        session.execute(appendHistory.bind(runId, firstEventId, txnId, ByteBuffer.wrap(batch)));
    }

    @Override
    public List<HistoryEvent> readHistory(String runId, long fromEventId, long toEventIdExclusive,
                                          long committedTxnId) {
        if (fromEventId >= toEventIdExclusive) {
            return List.of();
        }
        // Batches of uncommitted writes start where a committed batch starts (both follow the same committed
        // state) or after the run's last event, so the batch holding fromEventId starts at the greatest first
        // event id at or below it.
        long expected = fromEventId;
        if (fromEventId > 1) { // the first batch starts at event 1: no need to look for it
            Row start = session.execute(findBatchStart.bind(runId, fromEventId)).one();
            expected = start == null ? fromEventId : start.getLong("first_event_id");
        }
        // Rows come by first_event_id ascending, newest txn first; follow the chain of batches, taking the newest
        // committed write of each, so superseded and uncommitted writes are skipped.
        List<HistoryEvent> events = new ArrayList<>();
        for (Row row : session.execute(readHistory.bind(runId, expected, toEventIdExclusive))) {
            long first = row.getLong("first_event_id");
            if (first != expected || row.getLong("txn_id") > committedTxnId) {
                continue;
            }
            for (HistoryEvent event : parse(row.getByteBuffer("events")).getEventsList()) {
                if (event.getEventId() >= fromEventId && event.getEventId() < toEventIdExclusive) {
                    events.add(event);
                }
                expected = event.getEventId() + 1;
            }
        }
        return events;
    }

    @Override
    public List<RunKey> runsOf(int shardId, String namespaceId, int limit) {
        return session.execute(runsOf.bind(shardId, namespaceId, limit)).all().stream()
                .map(row -> new RunKey(row.getString("workflow_id"), row.getString("run_id"))).toList();
    }

    @Override
    public void requestPurge(String namespaceId) {
        session.execute(requestPurge.bind(namespaceId, Instant.now()));
    }

    @Override
    public List<String> purgesRequested() {
        return session.execute(purgesRequested.bind()).all().stream().map(row -> row.getString(0)).toList();
    }

    @Override
    public void purgeFinished(String namespaceId) {
        session.execute(purgeFinished.bind(namespaceId));
    }

    @Override
    public void commit(Transition t) {
        commitAll(List.of(t));
    }

    @Override
    public void commitAll(List<Transition> transitions) {
        BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.LOGGED);
        for (Transition t : transitions) {
            if (t.shardId() != transitions.get(0).shardId()) {
                throw new IllegalArgumentException("a group commit spans one shard; got shards "
                        + transitions.get(0).shardId() + " and " + t.shardId());
            }
            addTo(batch, t);
        }
        ResultSet result = session.execute(batch.build());
        if (!result.wasApplied()) {
            Transition first = transitions.get(0);
            Row row = result.one();
            Long range = row == null || row.isNull("range_id") ? null : row.getLong("range_id");
            if (!Objects.equals(range, first.rangeId())) {
                throw new ShardOwnershipLostException(first.shardId());
            }
            // Which one changed is not said; the engine commits a refused group's transitions one by one.
            throw new ConcurrentUpdateException(first.runId());
        }
    }

    /** One transition's statements: its execution row (conditional on the fence and its version) and the rest. */
    private void addTo(BatchStatementBuilder batch, Transition t) {
        Instant noTime = NO_TIME;
        batch.addStatement(writeExecution.bind(ByteBuffer.wrap(t.execution()), t.expectedVersion() + 1,
                t.shardId(), t.namespaceId(), t.workflowId(), t.runId(), noTime, t.rangeId(),
                t.expectedVersion() == 0 ? null : t.expectedVersion()));
        if (t.successor() != null) {
            batch.addStatement(writeExecution.bind(ByteBuffer.wrap(t.successor().execution()), 1L, t.shardId(),
                    t.namespaceId(), t.workflowId(), t.successor().runId(), noTime, t.rangeId(), null));
        }
        if (t.currentRun() != null) {
            batch.addStatement(writeCurrent.bind(ByteBuffer.wrap(t.currentRun()), t.shardId(), t.namespaceId(),
                    t.workflowId(), noTime));
        }
        for (TaskRecord task : t.newTasks()) {
            batch.addStatement(insertTask.bind(task.shardId(), rowType(task.kind()), taskTime(task), task.taskId(),
                    ByteBuffer.wrap(task.data())));
        }
        for (TaskRecord task : t.completedTasks()) {
            batch.addStatement(deleteTask.bind(task.shardId(), rowType(task.kind()), taskTime(task), task.taskId()));
        }
    }

    @Override
    public void deleteRun(int shardId, long rangeId, String namespaceId, String workflowId, String runId,
                          boolean deleteCurrentRun, List<TaskRecord> timers) {
        BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.LOGGED)
                .addStatement(deleteExecution.bind(shardId, namespaceId, workflowId, runId, NO_TIME, rangeId));
        for (TaskRecord timer : timers) {
            batch.addStatement(deleteTask.bind(shardId, TIMER, taskTime(timer), timer.taskId()));
        }
        if (deleteCurrentRun) {
            batch.addStatement(deleteCurrent.bind(shardId, namespaceId, workflowId, NO_TIME));
        }
        ResultSet result = session.execute(batch.build());
        if (!result.wasApplied()) {
            throw new ShardOwnershipLostException(shardId);
        }
        session.execute(deleteHistory.bind(runId));
    }

    @Override
    public void deleteTask(int shardId, long rangeId, TaskRecord task) {
        // Conditional, so a node that lost the shard cannot delete the new owner's work.
        ResultSet result = session.execute(deleteTaskFenced.bind(shardId, rowType(task.kind()), taskTime(task),
                task.taskId(), rangeId));
        if (!result.wasApplied()) {
            throw new ShardOwnershipLostException(shardId);
        }
    }

    @Override
    public void deleteDoneTasks(int shardId, List<TaskRecord> tasks) {
        // One partition (the shard's): an unlogged batch is a single mutation, not a batch log.
        BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
        for (TaskRecord task : tasks) {
            batch.addStatement(deleteTask.bind(shardId, rowType(task.kind()), taskTime(task), task.taskId()));
        }
        session.execute(batch.build());
    }

    @Override
    public List<TaskRecord> pendingTasks(int shardId, long timersDueBeforeMillis) {
        Row levels = session.execute(readShard.bind(shardId, NO_TIME)).one();
        long transferAck = levels == null || levels.isNull("transfer_ack") ? 0 : levels.getLong("transfer_ack");
        Instant timerAck = levels == null || levels.isNull("timer_ack") ? NO_TIME : levels.getInstant("timer_ack");
        List<TaskRecord> tasks = new ArrayList<>();
        for (Row row : session.execute(readTransfers.bind(shardId, NO_TIME, transferAck))) {
            if (!row.isNull("data")) {
                tasks.add(new TaskRecord(shardId, TaskKind.TRANSFER, row.getLong("task_id"), 0,
                        bytes(row.getByteBuffer("data"))));
            }
        }
        BoundStatement timers = timersDueBeforeMillis == Long.MAX_VALUE ? readTimers.bind(shardId, timerAck)
                : readTimersBefore.bind(shardId, timerAck, Instant.ofEpochMilli(timersDueBeforeMillis));
        for (Row row : session.execute(timers)) {
            if (!row.isNull("data")) {
                tasks.add(new TaskRecord(shardId, TaskKind.TIMER, row.getLong("task_id"),
                        row.getInstant("task_time").toEpochMilli(), bytes(row.getByteBuffer("data"))));
            }
        }
        return tasks;
    }

    @Override
    public void advanceAckLevels(int shardId, long rangeId, long transferTaskId, long timerMillis) {
        if (!session.execute(advanceAckLevels.bind(transferTaskId, Instant.ofEpochMilli(timerMillis), shardId,
                NO_TIME, rangeId)).wasApplied()) {
            throw new ShardOwnershipLostException(shardId);
        }
    }

    private static byte rowType(TaskKind kind) {
        return kind == TaskKind.TIMER ? TIMER : TRANSFER;
    }

    private static Instant taskTime(TaskRecord task) {
        return task.kind() == TaskKind.TIMER ? Instant.ofEpochMilli(task.fireAtMillis()) : NO_TIME;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static History parse(ByteBuffer buffer) {
        try {
            return History.parseFrom(buffer.duplicate());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt history batch", e);
        }
    }
}
