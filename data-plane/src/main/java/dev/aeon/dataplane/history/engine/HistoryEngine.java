package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.history.rules.Limits;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.state.TimerTask;
import com.datastax.oss.driver.api.core.DriverException;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.history.engine.ExecutionCache.LoadedRun;
import dev.aeon.dataplane.history.engine.ExecutionCache.WorkflowContext;
import dev.aeon.dataplane.history.engine.ExecutionCache.WorkflowKey;
import dev.aeon.dataplane.history.engine.StateCodec.CurrentRun;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.matching.TaskQueues;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import dev.aeon.dataplane.visibility.query.CustomSearchAttributes;
import dev.aeon.dataplane.persistence.ExecutionStore;
import dev.aeon.dataplane.persistence.ExecutionStore.ConcurrentUpdateException;
import dev.aeon.dataplane.persistence.ExecutionStore.NewRun;
import dev.aeon.dataplane.cluster.Membership;
import dev.aeon.dataplane.persistence.ExecutionStore.ShardOwnershipLostException;
import dev.aeon.dataplane.persistence.ExecutionStore.StoredRecord;
import dev.aeon.dataplane.persistence.ExecutionStore.TaskKind;
import dev.aeon.dataplane.persistence.ExecutionStore.TaskRecord;
import dev.aeon.dataplane.persistence.ExecutionStore.Transition;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Applies state transitions to workflow runs: loads a run's mutable state (cached), lets an operation change
 * it into a {@link Mutation}, and commits the mutation as one fenced write. After the commit, new tasks go to
 * matching and history long polls wake up.
 *
 * <p>The operations themselves (start, workflow tasks, activities, ...) live in their own packages and run through
 * {@link #update} or {@link #create}; this class owns only the load-mutate-commit cycle, and deleting a run (which
 * takes the same lock and fence as a commit). Over 400 lines for that reason: both halves share the cache, the
 * in-doubt set and the shard fencing, and the group commit (issue 18) replaces the commit half next.
 */
@ApplicationScoped
public class HistoryEngine {

    private static final Logger LOG = Logger.getLogger(HistoryEngine.class);
    private static final int CONFLICT_RETRIES = 3;

    private final ExecutionStore store;
    private final TaskQueues matching;
    private final TimerQueue timers;
    private final InternalTaskQueue internalTasks;
    private final NamespaceRegistry namespaces;
    private final Shards shards;
    private final ExecutionCache cache;
    private final HistoryWaiters waiters = new HistoryWaiters();
    /** Runs whose last commit's outcome is unknown: their next load must see it settled (settledExecution). */
    private final java.util.Set<String> inDoubt = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ExecutorService executor;
    private final TaskReconciliation reconciliation;
    private final java.time.Duration reconcileInterval;
    private final DoneTaskRows doneTasks;
    private final ScheduledExecutorService reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aeon-task-reconciliation");
        t.setDaemon(true);
        return t;
    });
    private final RunTerminator terminator;
    private final Membership membership;
    private ShardAssignment assignment; // set once in the constructor, after the shards it places (their callbacks use it)
    private final GroupCommit groupCommit;
    private final HistoryCache historyCache;
    private final Counter historyCacheHits;
    private final Counter historyCacheMisses;
    private final Counter transitions;
    private final Timer commitLatency;
    private volatile boolean visibilityTasks;
    private final List<RunDeletionListener> deletionListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<Mutation>> beforeCommit =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public HistoryEngine(ExecutionStore store, TaskQueues matching, TimerQueue timers, InternalTaskQueue internalTasks,
                         NamespaceRegistry namespaces, HistoryConfig config, MeterRegistry metrics,
                         RunTerminator terminator, Membership membership,
                         dev.aeon.dataplane.cluster.ClusterConfig clusterConfig) {
        this.membership = membership;
        this.terminator = terminator;
        this.internalTasks = internalTasks;
        this.namespaces = namespaces;
        this.transitions = Counter.builder("aeon.history.transitions")
                .description("State transitions committed to Cassandra").register(metrics);
        this.commitLatency = Timer.builder("aeon.history.commit")
                .description("Time to commit one state transition (history append + fenced batch)")
                .publishPercentiles(0.5, 0.99).register(metrics);
        this.store = store;
        this.matching = matching;
        this.timers = timers;
        boolean spread = clusterConfig.placement() == dev.aeon.dataplane.cluster.ClusterConfig.Placement.SPREAD;
        // One leader: a shard taken over by another node means this one was replaced, and it retires. Spread: this
        // node's view of the members was behind for a moment; the shard is the other node's now.
        this.shards = new Shards(config, store, membership.nodeId(), () -> membership.retired() == null
                && (spread ? !this.assignment.placed() : membership.isLeader() || membership.leader().isEmpty()),
                (shard, why) -> {
                    if (spread) {
                        LOG.infof("shard %d moved to another node before this one saw the members change", shard);
                        this.assignment.lost(shard, why);
                    } else {
                        membership.retire(why);
                    }
                });
        this.assignment = new ShardAssignment(membership, shards, spread);
        io.micrometer.core.instrument.Gauge.builder("aeon.cluster.shards.served", shards, Shards::servedCount)
                .description("History shards this node serves now")
                .register(metrics);
        io.micrometer.core.instrument.Gauge.builder("aeon.cluster.task-queues", matching, TaskQueues::queueCount)
                .description("Task queues in this node's matching (its partition of each: its shards' tasks, the "
                        + "polls waiting here)").register(metrics);
        io.micrometer.core.instrument.Gauge.builder("aeon.cluster.leader", membership, m -> m.isLeader() ? 1 : 0)
                .description("1 while this node leads the data plane's nodes").register(metrics);
        io.micrometer.core.instrument.Gauge.builder("aeon.cluster.members", membership, m -> m.members().size())
                .description("Data-plane nodes alive, as this node last read them").register(metrics);
        this.historyCache = new HistoryCache(config.historyCacheRuns(), config.historyCacheEventsPerRun());
        this.historyCacheHits = Counter.builder("aeon.history.cache.reads").tag("result", "hit")
                .description("History reads served from memory or from the store").register(metrics);
        this.historyCacheMisses = Counter.builder("aeon.history.cache.reads").tag("result", "miss")
                .description("History reads served from memory or from the store").register(metrics);
        this.groupCommit = new GroupCommit(store, shards.count(), config.groupCommitMaxTransitions(),
                config.groupCommitMaxBytes(), metrics);
        this.cache = new ExecutionCache(config.cacheSize());
        this.reconciliation = new TaskReconciliation(store, shards, matching, timers, internalTasks,
                config.taskSettleTime().toMillis());
        this.reconcileInterval = config.taskReconcileInterval();
        this.doneTasks = new DoneTaskRows(store);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "aeon-history-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Joins the cluster. Whenever this node takes a shard over it hands the shard's pending tasks and timers back
     * (recovery, after a crash of this node or of the shard's previous owner); whenever it gives one up it drops what
     * it held of it in memory. The shards' rows are reconciled from then on.
     */
    public void start(@Observes StartupEvent event) {
        matching.servedShards(shards::serves);
        timers.servedShards(shards::serves);
        internalTasks.servedShards(shards::serves);
        shards.onChange(shard -> LOG.infof("shard %d: recovered %d pending tasks and timers", shard,
                reconciliation.recover(shard)), this::dropShard);
        assignment.start();
        membership.join();
        long interval = reconcileInterval.toMillis();
        reconciler.scheduleWithFixedDelay(reconciliation::reconcileAll, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** What this node held in memory of a shard it gave up: the new owner reloads it from Cassandra. */
    private void dropShard(int shardId) {
        matching.dropShard(shardId);
        timers.dropShard(shardId);
        cache.forgetShard(key -> shards.shardOf(key.namespaceId(), key.workflowId()) == shardId, historyCache::forget);
        // Its long polls would wait here for commits that now happen on the shard's new owner: SDKs retry them, and
        // the retry reaches that node.
        waiters.failShard(shardId, ApiErrors.unavailable("the workflow's shard moved to another node; retry"));
    }

    @PreDestroy
    void stop() {
        membership.leave();
        shards.releaseAll();
        assignment.stop();
        doneTasks.stop();
        reconciler.shutdownNow();
        executor.shutdownNow();
        groupCommit.stop();
    }

    /**
     * Why this node cannot take calls now, or null when it can. Spread: once it holds the shards the members give
     * it. One leader: the leader once it holds every shard, any other node once it knows a leader to forward to. A
     * retired node (replaced while paused or cut off) never can again.
     */
    public String shardOwnershipProblem() {
        if (membership.retired() != null) {
            return "node retired: " + membership.retired();
        }
        if (assignment.spread() && membership.members().isEmpty()) {
            return "not joined yet";
        }
        if (assignment.spread() || membership.isLeader()) {
            return shards.acquired() ? null : "shards not taken over yet";
        }
        return membership.leader().isPresent() ? null : "no leader known yet";
    }

    /**
     * The node that serves this workflow's shard when that is not this one (calls for it are forwarded there);
     * empty when this node serves it or no other owner is known.
     */
    public Optional<dev.aeon.dataplane.cluster.Member> remoteOwner(String namespaceId, String workflowId) {
        return assignment.remoteOwner(shards.shardOf(namespaceId, workflowId));
    }

    /** This node's id in the member list (tagged in the ids of work it keeps in memory). */
    public String nodeId() {
        return membership.nodeId();
    }

    /** Whether shards are spread over the nodes (else the leader serves them all). */
    public boolean shardsSpread() {
        return assignment.spread();
    }

    /** The shards this node serves now. */
    public List<Integer> servedShardIds() {
        return shards.served();
    }

    /** How many shards this node serves now (all of them on the leader, none elsewhere). */
    public int servedShards() {
        return shards.servedCount();
    }

    /** This node's hold on the shards (tests give one up and take it back as a membership change would). */
    Shards shards() {
        return shards;
    }

    /** Where blocking engine work runs; gRPC handlers hand requests over to it. */
    public ExecutorService executor() {
        return executor;
    }

    /** A run as it stands, for reads. */
    public record Snapshot(ExecutionState state, long version) {
    }

    /** The run a request names: its run id, or the workflow id's current run when the run id is empty. */
    public String resolveRunId(String namespaceId, String workflowId, String runId) {
        return runId == null || runId.isEmpty() ? currentRunId(namespaceId, workflowId) : runId;
    }

    /** The current run of a workflow id, or NOT_FOUND. */
    String currentRunId(String namespaceId, String workflowId) {
        int shardId = shards.shardOf(namespaceId, workflowId);
        return store.currentRun(shardId, namespaceId, workflowId)
                .map(r -> StateCodec.currentRun(r.data()).runId())
                .orElseThrow(() -> ApiErrors.workflowNotFound(workflowId, ""));
    }

    /**
     * Starts a run of a workflow id, or acts on its current run, under the workflow id's lock. {@code decide} sees
     * the current run's pointer (if any) and answers with a {@link Creation}; everything it asks for commits as
     * one transition.
     */
    public <T> T create(String namespaceId, String workflowId, Function<Optional<CurrentRun>, Creation<T>> decide) {
        WorkflowKey key = new WorkflowKey(namespaceId, workflowId);
        int shardId = shards.shardOf(namespaceId, workflowId);
        ShardContext shard = shards.context(shardId);
        long retention = retentionMillis(namespaceId);
        CustomSearchAttributes searchAttributes = searchAttributes(namespaceId);
        for (int attempt = 1; ; attempt++) {
            WorkflowContext context = cache.lock(key);
            try {
                Optional<CurrentRun> current = store.currentRun(shardId, namespaceId, workflowId)
                        .map(r -> StateCodec.currentRun(r.data()));
                Creation<T> creation = decide.apply(current);
                long now = System.currentTimeMillis();
                Mutation first = null;
                if (creation.newRun() != null) {
                    first = new Mutation(shard, creation.newRun(), now, retention, searchAttributes);
                    creation.initialize().accept(first);
                    first.currentRunChanged = true;
                }
                if (creation.changeCurrent() == null) {
                    if (first != null) {
                        commit(context, first, 0);
                    }
                    return creation.result();
                }
                String currentRunId = current.orElseThrow().runId();
                LoadedRun run = load(context, shardId, namespaceId, workflowId, currentRunId);
                Mutation change = new Mutation(shard, run.state, now, retention, searchAttributes);
                change.startedEventLoader = () -> events(run.state, 1, 2).get(0);
                try {
                    creation.changeCurrent().accept(change);
                } catch (RuntimeException e) {
                    context.runs.remove(currentRunId);
                    throw e;
                }
                change.successor = first;
                commit(context, change, run.version);
                return creation.result();
            } catch (ConcurrentUpdateException e) {
                if (attempt >= CONFLICT_RETRIES) {
                    throw ApiErrors.unavailable("workflow " + workflowId + " is busy; retry");
                }
            } finally {
                cache.unlock(context);
            }
        }
    }

    /**
     * What {@link #create} does: start a new run ({@code newRun} with its first transition {@code initialize}),
     * change the current run ({@code changeCurrent}: signal it, terminate it), both (the new run replaces the
     * current one), or neither; and what to answer.
     */
    public record Creation<T>(ExecutionState newRun, java.util.function.Consumer<Mutation> initialize,
                       java.util.function.Consumer<Mutation> changeCurrent, T result) {

        public static <T> Creation<T> answer(T result) {
            return new Creation<>(null, null, null, result);
        }

        public static <T> Creation<T> start(ExecutionState newRun, java.util.function.Consumer<Mutation> initialize, T result) {
            return new Creation<>(newRun, initialize, null, result);
        }
    }

    /**
     * Applies {@code change} to a run under its workflow's lock and commits what it recorded. Retries when the
     * stored execution moved on underneath this node's cached copy.
     */
    public <T> T update(String namespaceId, String workflowId, String runId, Function<Mutation, T> change) {
        WorkflowKey key = new WorkflowKey(namespaceId, workflowId);
        int shardId = shards.shardOf(namespaceId, workflowId);
        for (int attempt = 1; ; attempt++) {
            WorkflowContext context = cache.lock(key);
            try {
                LoadedRun run = load(context, shardId, namespaceId, workflowId, runId);
                Mutation mutation = new Mutation(shards.context(shardId), run.state, System.currentTimeMillis(),
                        retentionMillis(namespaceId), searchAttributes(namespaceId));
                mutation.startedEventLoader = () -> events(run.state, 1, 2).get(0);
                T result;
                try {
                    result = change.apply(mutation);
                    String exceeded = mutation.state.isRunning() ? Limits.historyExceeded(mutation.state.nextEventId() - 1, mutation.state.historySizeBytes()) : null;
                    if (exceeded != null) {
                        terminator.terminate(mutation, exceeded, "aeon-history-limit");
                    }
                } catch (RuntimeException e) {
                    context.runs.remove(runId); // the change may have half-applied to the cached state
                    throw e;
                }
                if (!mutation.isEmpty()) {
                    commit(context, mutation, run.version);
                }
                return result;
            } catch (ConcurrentUpdateException e) {
                if (attempt >= CONFLICT_RETRIES) {
                    throw ApiErrors.unavailable("workflow " + workflowId + " is busy; retry");
                }
            } finally {
                cache.unlock(context);
            }
        }
    }

    /**
     * The retention timer of a closed run fired: delete the run, and the workflow id's current-run pointer if it
     * still points at it.
     */
    void deleteClosedRun(TimerTask timer) {
        deleteRun(timer.namespaceId(), timer.workflowId(), timer.runId(), timer);
    }

    /** Deletes a closed run now; {@code timer} is its retention timer when that is what fired, else null. */
    public void deleteRun(String namespaceId, String workflowId, String runId, TimerTask timer) {
        WorkflowKey key = new WorkflowKey(namespaceId, workflowId);
        int shardId = shards.shardOf(namespaceId, workflowId);
        ShardContext shard = shards.context(shardId);
        WorkflowContext context = cache.lock(key);
        try {
            Optional<ExecutionState> state = store.execution(shardId, namespaceId, workflowId, runId)
                    .map(stored -> StateCodec.state(stored.data()));
            if (state.isPresent() && state.get().hasPendingCrossWorkflowTasks()) {
                // Its children's parent close policies (or its report to its parent) still read it; the deletion
                // timer fires again shortly.
                throw ApiErrors.unavailable("run " + runId + " still has work between workflows to finish");
            }
            List<TaskRecord> timerRows = new ArrayList<>();
            if (timer != null) {
                timerRows.add(timerRow(shardId, timer.ref()));
            }
            state.ifPresent(run -> {
                // Left to fire after the run is gone, they would only find it missing.
                if (run.retentionTimer() != null && (timer == null || !run.retentionTimer().equals(timer.ref()))) {
                    timerRows.add(timerRow(shardId, run.retentionTimer()));
                }
                run.timers().values().forEach(userTimer -> timerRows.add(timerRow(shardId, userTimer.timer())));
            });
            boolean current = store.currentRun(shardId, namespaceId, workflowId)
                    .map(r -> StateCodec.currentRun(r.data()).runId().equals(runId)).orElse(false);
            deletionListeners.forEach(listener -> listener.beforeDeletion(namespaceId, workflowId, runId));
            store.deleteRun(shardId, shard.rangeId(), namespaceId, workflowId, runId, current, timerRows);
            context.runs.remove(runId);
            historyCache.forget(runId);
        } catch (ShardOwnershipLostException e) {
            shards.markLost(shard);
            throw ApiErrors.unavailable(e.getMessage());
        } finally {
            cache.unlock(context);
        }
    }

    private static TaskRecord timerRow(int shardId, TimerTask.TimerRef timer) {
        return new TaskRecord(shardId, TaskKind.TIMER, timer.taskId(), timer.fireAtMillis(), new byte[0]);
    }

    /** Drops the row of a task that is done, or whose run was deleted. */
    public void deleteTask(DispatchTask task) {
        deleteOrphanRow(new TaskRecord(task.shardId(), TaskKind.TRANSFER, task.taskId(), 0, new byte[0]));
    }

    /**
     * Forgets a done task of the data plane's own whose work is idempotent and ordered by version (visibility):
     * its row is deleted without the shard's fence (see {@link ExecutionStore#deleteDoneTasks}, a shard's at once by {@link DoneTaskRows}).
     */
    public void forgetDoneTask(DispatchTask task) {
        doneTasks.add(new TaskRecord(task.shardId(), TaskKind.TRANSFER, task.taskId(), 0, new byte[0]));
    }

    /** A timer whose run was deleted: drop its row, or every restart and reconciliation would fire it again. */
    void deleteOrphanTimer(TimerTask timer) {
        deleteOrphanRow(timerRow(timer.shardId(), timer.ref()));
    }

    private void deleteOrphanRow(TaskRecord row) {
        ShardContext shard = shards.context(row.shardId());
        try {
            store.deleteTask(row.shardId(), shard.rangeId(), row);
        } catch (ShardOwnershipLostException e) {
            shards.markLost(shard);
            throw ApiErrors.unavailable(e.getMessage());
        }
    }

    /** The namespace's retention; none for a namespace deleted already (its runs are being purged). */
    private long retentionMillis(String namespaceId) {
        try {
            return com.google.protobuf.util.Durations.toMillis(
                    namespaces.byId(namespaceId).getConfig().getWorkflowExecutionRetentionTtl());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                return 0;
            }
            throw e;
        }
    }

    /** The namespace's custom search attributes; none for a namespace deleted already. */
    private CustomSearchAttributes searchAttributes(String namespaceId) {
        try {
            return namespaces.withId(namespaceId).customSearchAttributes();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                return CustomSearchAttributes.none();
            }
            throw e;
        }
    }

    /**
     * Runs {@code action} on the run as it stands, or on empty once the run is deleted, under its workflow's lock:
     * nothing changes or deletes the run until {@code action} returns. {@code action} only reads the state.
     */
    public <T> T withRun(String namespaceId, String workflowId, String runId,
                         Function<Optional<Snapshot>, T> action) {
        WorkflowKey key = new WorkflowKey(namespaceId, workflowId);
        int shardId = shards.shardOf(namespaceId, workflowId);
        WorkflowContext context = cache.lock(key);
        try {
            Optional<Snapshot> run;
            try {
                LoadedRun loaded = load(context, shardId, namespaceId, workflowId, runId);
                run = Optional.of(new Snapshot(loaded.state, loaded.version));
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != io.grpc.Status.Code.NOT_FOUND) {
                    throw e;
                }
                run = Optional.empty();
            }
            return action.apply(run);
        } finally {
            cache.unlock(context);
        }
    }

    /**
     * Has each committed transition whose events change what visibility shows (a start, search attributes or memo
     * upserted, a close) write a {@link DispatchTask.Kind#VISIBILITY} task in its batch. Off unless a visibility
     * store is configured.
     */
    public void writeVisibilityTasks() {
        visibilityTasks = true;
    }

    /**
     * Runs {@code listener} (namespace id, workflow id, run id) under the run's lock just before a closed run is
     * deleted; if it throws, the run is not deleted now (its retention timer fires again).
     */
    /**
     * Adds a last step to every transition, run just before it commits, after its lifecycle recorded everything it
     * asked for: a lifecycle may complete the transition with work that depends on the moment of the commit (a
     * workflow task handed at once to a worker that is waiting). What it reserves it gives back with
     * {@link Mutation#onAbort} when the commit does not happen.
     */
    public void beforeCommit(java.util.function.Consumer<Mutation> step) {
        beforeCommit.add(step);
    }

    public void beforeRunDeletion(RunDeletionListener listener) {
        deletionListeners.add(listener);
    }

    public interface RunDeletionListener {
        void beforeDeletion(String namespaceId, String workflowId, String runId);
    }

    /** A run's state, read without changing it; empty when the run does not exist (never did, or was deleted). */
    public java.util.Optional<ExecutionState> find(String namespaceId, String workflowId, String runId) {
        try {
            return java.util.Optional.of(read(namespaceId, workflowId, runId).state());
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    /** A copy of {@code state} that its run's later transitions leave as it is, for readers outside its lock. */
    public static ExecutionState copyOf(ExecutionState state) {
        return StateCodec.state(StateCodec.encode(state));
    }

    /** Reads a run's state without changing it. */
    public Snapshot read(String namespaceId, String workflowId, String runId) {
        WorkflowKey key = new WorkflowKey(namespaceId, workflowId);
        int shardId = shards.shardOf(namespaceId, workflowId);
        WorkflowContext context = cache.lock(key);
        try {
            LoadedRun run = load(context, shardId, namespaceId, workflowId, runId);
            return new Snapshot(copyOf(run.state), run.version);
        } finally {
            cache.unlock(context);
        }
    }

    /**
     * Applies {@code reader} to the run's state as it stands, under its workflow's lock, without copying it (what
     * {@link #read} does); for a reader that takes a few fields, such as a history long poll woken by every commit.
     * {@code reader} must not change the state or keep it.
     */
    public <T> T inspect(String namespaceId, String workflowId, String runId, Function<ExecutionState, T> reader) {
        WorkflowKey key = new WorkflowKey(namespaceId, workflowId);
        int shardId = shards.shardOf(namespaceId, workflowId);
        WorkflowContext context = cache.lock(key);
        try {
            return reader.apply(load(context, shardId, namespaceId, workflowId, runId).state);
        } finally {
            cache.unlock(context);
        }
    }

    /** The run's events in [fromEventId, toEventIdExclusive), as committed by {@code run} or an earlier state. */
    public List<HistoryEvent> events(ExecutionState run, long fromEventId, long toEventIdExclusive) {
        return events(run.runId(), run.historyTxnId(), fromEventId, toEventIdExclusive);
    }

    /**
     * The events of run {@code runId} in [fromEventId, toEventIdExclusive), as committed by a state whose newest
     * history batch is {@code historyTxnId} (0: no bound) or an earlier one.
     */
    public List<HistoryEvent> events(String runId, long historyTxnId, long fromEventId, long toEventIdExclusive) {
        List<HistoryEvent> cached = historyCache.read(runId, fromEventId, toEventIdExclusive);
        if (cached != null) {
            historyCacheHits.increment();
            return cached;
        }
        historyCacheMisses.increment();
        return store.readHistory(runId, fromEventId, toEventIdExclusive,
                historyTxnId == 0 ? Long.MAX_VALUE : historyTxnId);
    }

    /** History and update long polls waiting for a commit, for metrics and tests. */
    public int waiterCount() {
        return waiters.count();
    }

    /** The keyspace's number of history shards (recorded when it was created). */
    public int shardCount() {
        return shards.count();
    }

    /**
     * Completes at the run's next committed transition. Only the node that serves the run's shard commits it, so
     * only there may a caller wait: elsewhere (a call routed by a view of the members a moment old, or a shard given
     * up since) this is UNAVAILABLE at once, and the waiter fails the same way when this node gives the shard up;
     * SDKs retry, and the retry reaches the shard's owner. Waits for a shard this node is taking over.
     */
    public CompletableFuture<Void> nextChange(String namespaceId, String workflowId, String runId) {
        int shardId = shards.shardOf(namespaceId, workflowId);
        shards.context(shardId);
        CompletableFuture<Void> waiter = waiters.next(shardId, runId);
        if (!shards.serves(shardId)) { // given up just now, perhaps before this waiter was there to be failed
            waiters.forget(runId, waiter);
            throw ApiErrors.unavailable("shard " + shardId + " is not served by this data-plane node now; retry");
        }
        return waiter;
    }

    /** What a reader took of a run, and a waiter for the run's next commit after that ({@link #watch}). */
    public record Watched<T>(T view, CompletableFuture<Void> nextChange) {
    }

    /**
     * Reads the run ({@link #inspect}) with a waiter for its next commit ({@link #nextChange}) registered first, so
     * a commit between the read and the wait is not missed; a read that fails takes its waiter with it. Call
     * {@link #forgetWaiter} with the waiter when giving up on it.
     */
    public <T> Watched<T> watch(String namespaceId, String workflowId, String runId,
                                Function<ExecutionState, T> reader) {
        CompletableFuture<Void> change = nextChange(namespaceId, workflowId, runId);
        try {
            return new Watched<>(inspect(namespaceId, workflowId, runId, reader), change);
        } catch (RuntimeException e) {
            waiters.forget(runId, change);
            throw e;
        }
    }

    public void forgetWaiter(String runId, CompletableFuture<Void> waiter) {
        waiters.forget(runId, waiter);
    }

    private LoadedRun load(WorkflowContext context, int shardId, String namespaceId, String workflowId,
                           String runId) {
        LoadedRun run = context.runs.get(runId);
        long holding = shards.rangeIdNow(shardId);
        if (run != null && run.rangeId == holding && holding != 0) {
            return run;
        }
        boolean doubted = inDoubt.contains(runId);
        StoredRecord stored = (doubted ? store.settledExecution(shardId, namespaceId, workflowId, runId)
                : store.execution(shardId, namespaceId, workflowId, runId))
                .orElseThrow(() -> ApiErrors.workflowNotFound(workflowId, runId));
        if (doubted) {
            inDoubt.remove(runId);
        }
        run = new LoadedRun(StateCodec.state(stored.data()), stored.version(), holding);
        context.runs.put(runId, run);
        return run;
    }

    /**
     * History first (append-only, invisible until the transition commits), then the transition itself as one
     * conditional batch. Any doubt about the outcome drops the cached state, so the next request reloads the truth.
     */
    private void commit(WorkflowContext context, Mutation mutation, long expectedVersion) {
        ExecutionState state = mutation.state;
        ShardContext shard = mutation.shard;
        Mutation successor = mutation.successor;
        long started = System.nanoTime();
        boolean committed = false;
        try {
            for (java.util.function.Consumer<Mutation> step : beforeCommit) {
                step.accept(mutation);
                if (successor != null) {
                    step.accept(successor);
                }
            }
            appendHistory(mutation);
            if (successor != null) {
                appendHistory(successor);
            }
            if (visibilityTasks) {
                mutation.addVisibilityTaskIfShown();
                if (successor != null) {
                    successor.addVisibilityTaskIfShown();
                }
            }
            ExecutionState current = successor != null ? successor.state : state;
            byte[] currentRun = mutation.currentRunChanged || successor != null
                    ? StateCodec.encode(new CurrentRun(current.runId(), current.status(), current.startRequestId())) : null;
            List<TaskRecord> newTasks = new ArrayList<>(mutation.newTasks);
            List<TaskRecord> completedTasks = new ArrayList<>(mutation.completedTasks);
            if (successor != null) {
                newTasks.addAll(successor.newTasks);
                completedTasks.addAll(successor.completedTasks);
            }
            groupCommit.commit(new Transition(shard.shardId(), shard.rangeId(), state.namespaceId(), state.workflowId(),
                    state.runId(), expectedVersion, StateCodec.encode(state), currentRun, newTasks, completedTasks,
                    successor == null ? null : new NewRun(successor.state.runId(), StateCodec.encode(successor.state))));
            committed = true;
        } catch (ConcurrentUpdateException e) {
            context.runs.remove(state.runId());
            historyCache.forget(state.runId());
            throw e;
        } catch (ShardOwnershipLostException e) {
            context.runs.remove(state.runId());
            historyCache.forget(state.runId());
            shards.markLost(shard);
            throw ApiErrors.unavailable(e.getMessage());
        } catch (DriverException | StatusRuntimeException e) {
            context.runs.remove(state.runId());
            historyCache.forget(state.runId());
            inDoubt.add(state.runId());
            if (successor != null) {
                inDoubt.add(successor.state.runId());
                historyCache.forget(successor.state.runId());
            }
            LOG.warnf("commit of run %s failed or is in doubt: %s", state.runId(), e.getMessage());
            throw ApiErrors.unavailable("persistence unavailable; retry");
        } finally {
            if (!committed) {
                mutation.aborted();
                if (successor != null) {
                    successor.aborted();
                }
            }
        }
        commitLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        transitions.increment();
        context.runs.put(state.runId(), new LoadedRun(state, expectedVersion + 1, shard.rangeId()));
        historyCache.committed(state.runId(), mutation.events);
        afterCommit(mutation);
        if (successor != null) {
            context.runs.put(successor.state.runId(), new LoadedRun(successor.state, 1, shard.rangeId()));
            historyCache.committed(successor.state.runId(), successor.events);
            afterCommit(successor);
        }
    }

    private void appendHistory(Mutation mutation) {
        if (!mutation.events.isEmpty()) {
            long txnId = mutation.shard.nextTaskId();
            store.appendHistory(mutation.state.runId(), mutation.events.get(0).getEventId(), txnId, mutation.events);
            mutation.state.recordHistoryTxn(txnId);
        }
    }

    /** Hands what the committed transition created to matching and timers, and wakes history long polls. */
    private void afterCommit(Mutation mutation) {
        for (TaskRecord task : mutation.completedTasks) {
            if (task.kind() == TaskKind.TIMER) {
                timers.cancel(task.shardId(), task.taskId());
            }
        }
        mutation.timers.forEach(timers::schedule);
        mutation.dispatch.forEach(matching::offer);
        mutation.internalTasks.forEach(internalTasks::submit);
        mutation.afterCommit.forEach(Runnable::run);
        waiters.notify(mutation.state.runId());
    }

    public static boolean isRunning(int status) {
        return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
    }
}
