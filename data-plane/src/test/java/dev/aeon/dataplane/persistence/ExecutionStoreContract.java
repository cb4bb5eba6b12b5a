package dev.aeon.dataplane.persistence;

import dev.aeon.dataplane.persistence.ExecutionStore.ConcurrentUpdateException;
import dev.aeon.dataplane.persistence.ExecutionStore.ShardOwnershipLostException;
import dev.aeon.dataplane.persistence.ExecutionStore.TaskKind;
import dev.aeon.dataplane.persistence.ExecutionStore.TaskRecord;
import dev.aeon.dataplane.persistence.ExecutionStore.Transition;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link ExecutionStore} must guarantee, whatever the database: fencing by range id, optimistic
 * record versions, all-or-nothing transitions, and history batches superseded by later writes. Subclass it once
 * per implementation.
 */
public abstract class ExecutionStoreContract {

    protected abstract ExecutionStore store();

    /** Shards far above any configured count, so the tests never touch a shard the engine owns. */
    private static int freshShard() {
        return 100_000 + ThreadLocalRandom.current().nextInt(1_000_000);
    }

    private static Transition transition(int shard, long rangeId, String runId, long expectedVersion, String data,
                                         List<TaskRecord> newTasks, List<TaskRecord> completed) {
        return new Transition(shard, rangeId, "ns", "wf-" + runId, runId, expectedVersion,
                data.getBytes(StandardCharsets.UTF_8), "current".getBytes(StandardCharsets.UTF_8), newTasks, completed,
                null);
    }

    @Test
    void theShardCountRecordedWhenTheKeyspaceWasMadeStays() {
        // The engine recorded its count when it started on this keyspace; no later proposal changes it.
        int recorded = store().historyShards(7);
        assertTrue(recorded > 0);
        assertEquals(recorded, store().historyShards(9));
        assertEquals(recorded, store().historyShards(recorded + 1));
    }

    @Test
    void aShardTakenOverFencesOutItsPreviousOwner() {
        int shard = freshShard();
        long first = store().acquireShard(shard, "node-a");
        store().commit(transition(shard, first, "r1", 0, "v1", List.of(), List.of()));

        long second = store().acquireShard(shard, "node-b");

        assertTrue(second > first);
        assertThrows(ShardOwnershipLostException.class,
                () -> store().commit(transition(shard, first, "r2", 0, "late", List.of(), List.of())));
        store().commit(transition(shard, second, "r2", 0, "owner", List.of(), List.of()));
        assertTrue(store().execution(shard, "ns", "wf-r2", "r2").isPresent());
    }

    @Test
    void aStaleRecordVersionIsRefusedAndNothingOfTheTransitionIsWritten() {
        int shard = freshShard();
        long range = store().acquireShard(shard, "node-a");
        store().commit(transition(shard, range, "r1", 0, "v1", List.of(), List.of()));
        TaskRecord task = new TaskRecord(shard, TaskKind.TRANSFER, 7, 0, "task".getBytes(StandardCharsets.UTF_8));

        assertThrows(ConcurrentUpdateException.class,
                () -> store().commit(transition(shard, range, "r1", 0, "stale", List.of(task), List.of())));

        var stored = store().execution(shard, "ns", "wf-r1", "r1").orElseThrow();
        assertEquals("v1", new String(stored.data(), StandardCharsets.UTF_8));
        assertEquals(1, stored.version());
        assertTrue(store().pendingTasks(shard).isEmpty(), "the refused transition's task was not written");
    }

    @Test
    void tasksStayPendingUntilATransitionCompletesThem() {
        int shard = freshShard();
        long range = store().acquireShard(shard, "node-a");
        TaskRecord transfer = new TaskRecord(shard, TaskKind.TRANSFER, 11, 0, "t".getBytes(StandardCharsets.UTF_8));
        TaskRecord timer = new TaskRecord(shard, TaskKind.TIMER, 12, 1_900_000_000_000L,
                "timer".getBytes(StandardCharsets.UTF_8));
        store().commit(transition(shard, range, "r1", 0, "v1", List.of(transfer, timer), List.of()));

        List<TaskRecord> pending = store().pendingTasks(shard);
        assertEquals(2, pending.size());
        TaskRecord loadedTimer = pending.stream().filter(t -> t.kind() == TaskKind.TIMER).findFirst().orElseThrow();
        assertEquals(1_900_000_000_000L, loadedTimer.fireAtMillis());
        assertArrayEquals("timer".getBytes(StandardCharsets.UTF_8), loadedTimer.data());

        store().commit(transition(shard, range, "r1", 1, "v2", List.of(), List.of(transfer, timer)));

        assertTrue(store().pendingTasks(shard).isEmpty());
    }

    @Test
    void rowsBelowTheAckLevelsAreNeverReadAgain() {
        int shard = freshShard();
        long range = store().acquireShard(shard, "node-a");
        long now = System.currentTimeMillis();
        TaskRecord consumedTransfer = new TaskRecord(shard, TaskKind.TRANSFER, 21, 0, bytes("old"));
        TaskRecord transfer = new TaskRecord(shard, TaskKind.TRANSFER, 22, 0, bytes("new"));
        TaskRecord consumedTimer = new TaskRecord(shard, TaskKind.TIMER, 23, now - 1_000, bytes("old timer"));
        TaskRecord timer = new TaskRecord(shard, TaskKind.TIMER, 24, now, bytes("new timer"));
        store().commit(transition(shard, range, "r1", 0, "v1", List.of(consumedTransfer, transfer, consumedTimer,
                timer), List.of()));

        store().advanceAckLevels(shard, range, 22, now);

        assertEquals(List.of(22L, 24L), store().pendingTasks(shard).stream().map(TaskRecord::taskId).toList());
        long next = store().acquireShard(shard, "node-b");
        assertThrows(ShardOwnershipLostException.class, () -> store().advanceAckLevels(shard, range, 30, now + 1));
        assertEquals(List.of(22L, 24L), store().pendingTasks(shard).stream().map(TaskRecord::taskId).toList());
        store().advanceAckLevels(shard, next, 23, now + 1);
        assertTrue(store().pendingTasks(shard).isEmpty());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aHistoryBatchWrittenAgainSupersedesTheEarlierWrite() {
        String run = UUID.randomUUID().toString();
        store().appendHistory(run, 1, 10, List.of(event(1, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED),
                event(2, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)));
        // An uncommitted write of a fenced-out owner, then the new owner's write of the same events.
        store().appendHistory(run, 3, 20, List.of(event(3, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED),
                event(4, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED), event(5, EventType.EVENT_TYPE_TIMER_STARTED)));
        store().appendHistory(run, 3, 30, List.of(event(3, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED),
                event(4, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)));
        store().appendHistory(run, 5, 40, List.of(event(5, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)));

        List<HistoryEvent> events = store().readHistory(run, 1, 6, Long.MAX_VALUE);

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), events.stream().map(HistoryEvent::getEventId).toList());
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, events.get(3).getEventType());
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, events.get(4).getEventType());
        assertEquals(List.of(2L, 3L), store().readHistory(run, 2, 4, Long.MAX_VALUE).stream().map(HistoryEvent::getEventId).toList());
    }

    /**
     * A commit that timed out but applied, then a retry built on the state before it: the retry's batch (newer txn,
     * same first event id) and anything after the run's end are not the run's history.
     */
    @Test
    void aBatchOfATransitionThatDidNotCommitIsInvisible() {
        String run = UUID.randomUUID().toString();
        store().appendHistory(run, 1, 10, List.of(event(1, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED),
                event(2, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)));
        store().appendHistory(run, 3, 20, List.of(event(3, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED),
                event(4, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)));
        long committed = 20;
        store().appendHistory(run, 3, 30, List.of(event(3, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED),
                event(4, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED), event(5, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)));
        store().appendHistory(run, 5, 31, List.of(event(5, EventType.EVENT_TYPE_TIMER_STARTED)));

        List<HistoryEvent> events = store().readHistory(run, 1, 5, committed);

        assertEquals(List.of(1L, 2L, 3L, 4L), events.stream().map(HistoryEvent::getEventId).toList());
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, events.get(3).getEventType());
        assertEquals(List.of(4L), store().readHistory(run, 4, 5, committed).stream()
                .map(HistoryEvent::getEventId).toList());
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
                store().readHistory(run, 4, 5, committed).get(0).getEventType());
    }

    @Test
    void aRangeStartingOrEndingInsideABatchHasExactlyItsEvents() {
        String run = UUID.randomUUID().toString();
        store().appendHistory(run, 1, 10, List.of(event(1, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED),
                event(2, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)));
        store().appendHistory(run, 3, 20, List.of(event(3, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED),
                event(4, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED), event(5, EventType.EVENT_TYPE_TIMER_STARTED)));
        store().appendHistory(run, 6, 30, List.of(event(6, EventType.EVENT_TYPE_TIMER_FIRED),
                event(7, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)));

        assertEquals(List.of(4L, 5L, 6L), ids(store().readHistory(run, 4, 7, 30)));
        assertEquals(List.of(6L, 7L), ids(store().readHistory(run, 6, 8, 30)));
        assertEquals(List.of(2L), ids(store().readHistory(run, 2, 3, 30)));
        assertEquals(List.of(5L), ids(store().readHistory(run, 5, 6, 30)));
        assertEquals(List.of(), ids(store().readHistory(run, 8, 9, 30)));
        assertEquals(List.of(), ids(store().readHistory(run, 3, 3, 30)));
        assertEquals(List.of(), ids(store().readHistory(UUID.randomUUID().toString(), 1, 5, 30)));
    }

    @Test
    void deletingARunRemovesItsRecordPointerRetentionTimerAndHistory() {
        int shard = freshShard();
        long range = store().acquireShard(shard, "node-a");
        TaskRecord retention = new TaskRecord(shard, TaskKind.TIMER, 31, 1_900_000_000_000L, bytes("delete me"));
        TaskRecord other = new TaskRecord(shard, TaskKind.TRANSFER, 32, 0, bytes("other run's task"));
        store().commit(transition(shard, range, "r1", 0, "closed", List.of(retention, other), List.of()));
        store().appendHistory("r1", 1, 10, List.of(event(1, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)));

        store().deleteRun(shard, range, "ns", "wf-r1", "r1", true, List.of(retention));

        assertTrue(store().execution(shard, "ns", "wf-r1", "r1").isEmpty());
        assertTrue(store().currentRun(shard, "ns", "wf-r1").isEmpty());
        assertEquals(List.of(32L), store().pendingTasks(shard).stream().map(TaskRecord::taskId).toList());
        assertTrue(store().readHistory("r1", 1, 2, Long.MAX_VALUE).isEmpty());
    }

    @Test
    void deletingARunThatIsNoLongerCurrentKeepsThePointer() {
        int shard = freshShard();
        long range = store().acquireShard(shard, "node-a");
        store().commit(transition(shard, range, "r1", 0, "closed", List.of(), List.of()));

        store().deleteRun(shard, range, "ns", "wf-r1", "r1", false, List.of());

        assertTrue(store().execution(shard, "ns", "wf-r1", "r1").isEmpty());
        assertTrue(store().currentRun(shard, "ns", "wf-r1").isPresent());
    }

    @Test
    void aFencedOutOwnerCanDeleteNeitherRunsNorTasks() {
        int shard = freshShard();
        long first = store().acquireShard(shard, "node-a");
        TaskRecord task = new TaskRecord(shard, TaskKind.TRANSFER, 41, 0, bytes("task"));
        store().commit(transition(shard, first, "r1", 0, "closed", List.of(task), List.of()));
        store().acquireShard(shard, "node-b");

        assertThrows(ShardOwnershipLostException.class,
                () -> store().deleteRun(shard, first, "ns", "wf-r1", "r1", true, List.of()));
        assertThrows(ShardOwnershipLostException.class, () -> store().deleteTask(shard, first, task));

        assertTrue(store().execution(shard, "ns", "wf-r1", "r1").isPresent());
        assertEquals(List.of(41L), store().pendingTasks(shard).stream().map(TaskRecord::taskId).toList());
    }

    @Test
    void deletingATaskRemovesThatRowOnly() {
        int shard = freshShard();
        long range = store().acquireShard(shard, "node-a");
        TaskRecord gone = new TaskRecord(shard, TaskKind.TRANSFER, 51, 0, bytes("orphan"));
        TaskRecord kept = new TaskRecord(shard, TaskKind.TRANSFER, 52, 0, bytes("kept"));
        TaskRecord timer = new TaskRecord(shard, TaskKind.TIMER, 53, 1_900_000_000_000L, bytes("orphan timer"));
        store().commit(transition(shard, range, "r1", 0, "v1", List.of(gone, kept, timer), List.of()));

        store().deleteTask(shard, range, gone);
        store().deleteTask(shard, range, timer);

        assertEquals(List.of(52L), store().pendingTasks(shard).stream().map(TaskRecord::taskId).toList());
    }

    private static List<Long> ids(List<HistoryEvent> events) {
        return events.stream().map(HistoryEvent::getEventId).toList();
    }

    private static HistoryEvent event(long id, EventType type) {
        return HistoryEvent.newBuilder().setEventId(id).setEventType(type).build();
    }

    @Test
    void theStoredRangeIdIsTheLastOwners() {
        int shard = freshShard();
        assertEquals(0, store().rangeId(shard), "a shard nobody took yet");
        long first = store().acquireShard(shard, "node-a");
        assertEquals(first, store().rangeId(shard));
        long second = store().acquireShard(shard, "node-b");
        assertEquals(second, store().rangeId(shard));
    }

    @Test
    void aSettledReadSeesWhatTheLastCommitWrote() {
        int shard = freshShard();
        long range = store().acquireShard(shard, "node-a");
        assertTrue(store().settledExecution(shard, "ns", "wf-r1", "r1").isEmpty());
        store().commit(transition(shard, range, "r1", 0, "v1", List.of(), List.of()));
        store().commit(transition(shard, range, "r1", 1, "v2", List.of(), List.of()));

        var settled = store().settledExecution(shard, "ns", "wf-r1", "r1").orElseThrow();
        assertEquals("v2", new String(settled.data(), StandardCharsets.UTF_8));
        assertEquals(2, settled.version());
    }

    @Test
    void runsOfANamespaceAreListedPerShardUpToTheLimit() {
        int shard = freshShard();
        long range = store().acquireShard(shard, "node-a");
        String namespace = "ns-" + UUID.randomUUID();
        for (String runId : List.of("a", "b", "c")) {
            store().commit(new Transition(shard, range, namespace, "wf-" + runId, runId, 0,
                    "v".getBytes(StandardCharsets.UTF_8), "current".getBytes(StandardCharsets.UTF_8), List.of(),
                    List.of(), null));
        }
        store().commit(transition(shard, range, "other", 0, "v", List.of(), List.of())); // namespace "ns"

        List<ExecutionStore.RunKey> all = store().runsOf(shard, namespace, 10);
        assertEquals(java.util.Set.of(new ExecutionStore.RunKey("wf-a", "a"), new ExecutionStore.RunKey("wf-b", "b"),
                new ExecutionStore.RunKey("wf-c", "c")), java.util.Set.copyOf(all));
        assertEquals(2, store().runsOf(shard, namespace, 2).size());
        assertTrue(store().runsOf(shard + 1, namespace, 10).isEmpty(), "another shard holds none of them");
    }

    @Test
    void aPurgeIsRememberedUntilItFinishes() {
        String namespaceId = "purged-" + UUID.randomUUID();
        assertTrue(!store().purgesRequested().contains(namespaceId));
        store().requestPurge(namespaceId);
        store().requestPurge(namespaceId); // asking twice is one purge
        assertEquals(1, store().purgesRequested().stream().filter(namespaceId::equals).count());
        store().purgeFinished(namespaceId);
        assertTrue(!store().purgesRequested().contains(namespaceId));
    }

    @Test
    void aGroupOfTransitionsCommitsAllOrNothing() {
        int shard = freshShard();
        long range = store().acquireShard(shard, "node-a");
        store().commit(transition(shard, range, "g1", 0, "v1", List.of(), List.of()));
        TaskRecord task = new TaskRecord(shard, TaskKind.TRANSFER, 21, 0, "t".getBytes(StandardCharsets.UTF_8));

        store().commitAll(List.of(transition(shard, range, "g1", 1, "v2", List.of(), List.of()),
                transition(shard, range, "g2", 0, "v1", List.of(task), List.of())));
        assertEquals(2, store().execution(shard, "ns", "wf-g1", "g1").orElseThrow().version());
        assertTrue(store().execution(shard, "ns", "wf-g2", "g2").isPresent());
        assertEquals(1, store().pendingTasks(shard).size());

        // One member's version is stale: none of the group is written.
        assertThrows(ConcurrentUpdateException.class, () -> store().commitAll(List.of(
                transition(shard, range, "g3", 0, "v1", List.of(), List.of()),
                transition(shard, range, "g1", 1, "stale", List.of(), List.of(task)))));
        assertTrue(store().execution(shard, "ns", "wf-g3", "g3").isEmpty());
        assertEquals("v2", new String(store().execution(shard, "ns", "wf-g1", "g1").orElseThrow().data(),
                StandardCharsets.UTF_8));
        assertEquals(1, store().pendingTasks(shard).size());

        long next = store().acquireShard(shard, "node-b");
        assertThrows(ShardOwnershipLostException.class, () -> store().commitAll(List.of(
                transition(shard, range, "g4", 0, "v1", List.of(), List.of()),
                transition(shard, range, "g5", 0, "v1", List.of(), List.of()))));
        assertTrue(store().execution(shard, "ns", "wf-g4", "g4").isEmpty());
        assertTrue(next > range);
    }

    @Test
    void timersCanBeReadUpToADueTime() {
        int shard = freshShard();
        long range = store().acquireShard(shard, "node-a");
        TaskRecord soon = new TaskRecord(shard, TaskKind.TIMER, 41, 1_900_000_000_000L, "soon".getBytes(StandardCharsets.UTF_8));
        TaskRecord later = new TaskRecord(shard, TaskKind.TIMER, 42, 1_900_000_600_000L, "later".getBytes(StandardCharsets.UTF_8));
        TaskRecord transfer = new TaskRecord(shard, TaskKind.TRANSFER, 43, 0, "t".getBytes(StandardCharsets.UTF_8));
        store().commit(transition(shard, range, "h1", 0, "v1", List.of(soon, later, transfer), List.of()));

        assertEquals(List.of(43L, 41L), store().pendingTasks(shard, 1_900_000_600_000L).stream()
                .map(TaskRecord::taskId).toList(), "transfer tasks always, timers due before the bound only");
        assertEquals(List.of(43L, 41L, 42L), store().pendingTasks(shard).stream().map(TaskRecord::taskId).toList());
    }
}
