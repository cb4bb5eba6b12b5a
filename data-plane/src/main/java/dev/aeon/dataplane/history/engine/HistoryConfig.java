package dev.aeon.dataplane.history.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "aeon.data-plane.history")
public interface HistoryConfig {

    /**
     * Number of history shards of a new keyspace. Workflows are hashed onto shards for good, so the count is recorded
     * in the keyspace when it is created and an existing keyspace keeps its own (see {@code Shards}).
     */
    @WithDefault("16")
    int shards();

    /** This node's name in shard ownership records; hostname and pid when absent. */
    Optional<String> nodeId();

    /**
     * Group commit: at most this many transitions of one shard commit in one conditional batch (one Paxos round).
     * 1 commits every transition alone.
     */
    @WithDefault("16")
    int groupCommitMaxTransitions();

    /**
     * And at most about this many bytes of rows: below Cassandra's {@code batch_size_fail_threshold} (50 KiB by
     * default), which refuses a larger batch outright. A transition larger than this commits alone.
     */
    @WithDefault("40960")
    long groupCommitMaxBytes();

    /**
     * How many runs keep their newest committed events in memory (HistoryCache), so polls, queries and result
     * long polls read them without Cassandra. 0 turns the cache off.
     */
    @WithDefault("4096")
    int historyCacheRuns();

    /** And how many of each run's newest events; a read that starts before them goes to Cassandra. */
    @WithDefault("512")
    int historyCacheEventsPerRun();

    /** How many open workflows' mutable state stays cached. */
    @WithDefault("10000")
    int cacheSize();

    /** Threads that run state transitions (each blocks on Cassandra for a few milliseconds). */
    @WithDefault("32")
    int threads();

    /**
     * How often each shard's task and timer rows are compared with what matching, the timer queue and the
     * cross-workflow queue hold, handing over again what they lost (TaskReconciliation).
     */
    @WithDefault("10s")
    Duration taskReconcileInterval();

    /**
     * Longer than any transition can take to commit (or to fail for good): a task id issued this long ago is
     * either in a row by now or never will be, so the shard's ack levels may pass it.
     */
    @WithDefault("60s")
    Duration taskSettleTime();

    /**
     * Timers due within this long are held in memory; later ones stay rows in Cassandra until a reconciliation pass
     * (every task-reconcile-interval, which must be well below this) finds them within reach. Bounds the heap to the
     * timers of the next few minutes, however many runs wait on long timers or on their retention.
     */
    @WithDefault("5m")
    Duration timerHorizon();

    /** How often deleted namespaces' executions are looked for and purged (NamespaceDeletions). */
    @WithDefault("10s")
    Duration namespacePurgeInterval();

    /** Longest a poll or a history long poll waits before answering empty, as Temporal's frontend does. */
    @WithDefault("60s")
    Duration longPollTimeout();
}
