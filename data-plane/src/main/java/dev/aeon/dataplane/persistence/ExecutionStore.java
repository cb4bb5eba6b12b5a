package dev.aeon.dataplane.persistence;

import io.temporal.api.history.v1.HistoryEvent;

import java.util.List;
import java.util.Optional;

/**
 * Workflow executions, their history and their pending tasks, grouped in history shards.
 *
 * <p>Invariant: every write to a shard's executions and tasks goes through {@link #commit}, fenced by the
 * shard's range id. A node that lost the shard (another node acquired it with a higher range id) cannot write
 * anything more to it; it learns so from {@link ShardOwnershipLostException}.
 */
public interface ExecutionStore {

    /**
     * The number of history shards this keyspace has: the one recorded when it was created, or, for a new keyspace,
     * {@code forNewKeyspace}, recorded now. A keyspace from before the count was recorded has the count its shard
     * rows show.
     */
    int historyShards(int forNewKeyspace);

    /** Takes the shard over, fencing out any previous owner; returns the new range id. */
    long acquireShard(int shardId, String owner);

    /** The shard's range id as stored: its owner's, the highest ever taken (0 before the first take-over). */
    long rangeId(int shardId);

    Optional<StoredRecord> currentRun(int shardId, String namespaceId, String workflowId);

    Optional<StoredRecord> execution(int shardId, String namespaceId, String workflowId, String runId);

    /**
     * {@link #execution}, once the outcome of any conditional write of it still in flight is final (Cassandra:
     * a serial read, which completes or voids such a write first). After a commit in doubt, a transition built on
     * an ordinary read could follow the state before a commit that then applies, and write history beside it.
     */
    Optional<StoredRecord> settledExecution(int shardId, String namespaceId, String workflowId, String runId);

    /**
     * Appends a batch of events, before the transition that makes them part of the run commits. A batch written
     * again with the same first event id and a higher txn id supersedes the earlier one.
     */
    void appendHistory(String runId, long firstEventId, long txnId, List<HistoryEvent> events);

    /**
     * The run's committed events with ids in [fromEventId, toEventIdExclusive), reading only the batches that hold
     * them. Of the batches written with the same first event id, the newest with a txn id at most
     * {@code committedTxnId} counts: a batch written later belongs to a transition that did not commit.
     */
    List<HistoryEvent> readHistory(String runId, long fromEventId, long toEventIdExclusive, long committedTxnId);

    /**
     * Commits one state transition atomically: the execution record (conditional on its previous version), the
     * current-run pointer, new tasks and the removal of completed tasks, fenced by the shard's range id.
     *
     * @throws ShardOwnershipLostException when the shard's range id moved on
     * @throws ConcurrentUpdateException   when the execution changed since it was read
     */
    void commit(Transition transition);

    /**
     * Commits transitions of different executions of one shard as one write: a single conditional batch under the
     * shard's fence (in Cassandra, one Paxos round for all of them), all applied or none. This is the group commit:
     * the engine gathers the transitions that are ready at the same moment.
     *
     * @throws ShardOwnershipLostException when the shard's range id moved on (none applied)
     * @throws ConcurrentUpdateException   when any of the executions changed since it was read (none applied); the
     *                                     caller commits them one by one to learn which
     */
    void commitAll(List<Transition> transitions);

    /**
     * Deletes a closed run for good: its execution record, the current-run pointer if it still points at the
     * run, its remaining timers (one fenced batch), then its history.
     */
    void deleteRun(int shardId, long rangeId, String namespaceId, String workflowId, String runId,
                   boolean deleteCurrentRun, List<TaskRecord> timers);

    /** Deletes one task row whose run no longer exists, fenced by the shard's range id. */
    void deleteTask(int shardId, long rangeId, TaskRecord task);

    /**
     * Deletes the rows of tasks of one shard that are done, in one write and without the shard's fence: only for
     * tasks whose work is idempotent and converges whoever does it (a visibility record is written with the run's
     * version and never goes back), so a node that lost the shard deleting them after doing them loses nothing,
     * and no Paxos round is paid.
     */
    void deleteDoneTasks(int shardId, java.util.List<TaskRecord> tasks);

    /**
     * Every pending task of the shard, transfer and timer, from its ack levels on: rows below them are consumed
     * and never read again (in Cassandra they are tombstones a read would have to skip one by one).
     */
    default List<TaskRecord> pendingTasks(int shardId) {
        return pendingTasks(shardId, Long.MAX_VALUE);
    }

    /** {@link #pendingTasks(int)}, with only the timers due before {@code timersDueBeforeMillis}. */
    List<TaskRecord> pendingTasks(int shardId, long timersDueBeforeMillis);

    /**
     * Moves the shard's ack levels up, fenced by the range id: every transfer row with a task id below
     * {@code transferTaskId} and every timer row due before {@code timerMillis} is consumed. The caller guarantees
     * it; levels never move down.
     *
     * @throws ShardOwnershipLostException when the shard's range id moved on
     */
    void advanceAckLevels(int shardId, long rangeId, long transferTaskId, long timerMillis);

    /** Up to {@code limit} runs of a namespace kept in a shard. */
    List<RunKey> runsOf(int shardId, String namespaceId, int limit);

    /** Records that a namespace being deleted has its executions purged; kept until {@link #purgeFinished}. */
    void requestPurge(String namespaceId);

    /** Namespace ids whose purge is requested and not finished. */
    List<String> purgesRequested();

    void purgeFinished(String namespaceId);

    /** A run of a workflow id. */
    record RunKey(String workflowId, String runId) {
    }

    /** A stored blob with the version it was written at. */
    record StoredRecord(byte[] data, long version) {
    }

    /** A pending task row: kind decides the table area (transfer or timer). */
    record TaskRecord(int shardId, TaskKind kind, long taskId, long fireAtMillis, byte[] data) {
    }

    enum TaskKind { TRANSFER, TIMER }

    /**
     * One state transition of one execution.
     *
     * @param expectedVersion the execution's version when read, 0 when it is being created
     * @param currentRun      the new current-run pointer, or null to leave it
     * @param successor       a new run of the same workflow id created in the same write, or null
     */
    record Transition(int shardId, long rangeId, String namespaceId, String workflowId, String runId,
                      long expectedVersion, byte[] execution, byte[] currentRun,
                      List<TaskRecord> newTasks, List<TaskRecord> completedTasks, NewRun successor) {
    }

    /** A run created by a transition of another run of the same workflow id. */
    record NewRun(String runId, byte[] execution) {
    }

    class ShardOwnershipLostException extends RuntimeException {
        public ShardOwnershipLostException(int shardId) {
            super("shard " + shardId + " is owned by another node now");
        }
    }

    class ConcurrentUpdateException extends RuntimeException {
        public ConcurrentUpdateException(String runId) {
            super("execution " + runId + " changed concurrently");
        }
    }
}
