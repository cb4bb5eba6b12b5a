package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.persistence.ExecutionStore;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * Which shard a workflow belongs to, and this node's hold on the shards it serves. The cluster decides which shards
 * a node is to serve ({@code cluster.ShardPlacement}, or every shard on the leader when one node serves them all):
 * {@link #serveOnly} takes the new ones over (each take-over moves the shard's range id past the previous owner's,
 * which fences that owner's writes) and gives up the others. A node that finds a shard taken over by someone else
 * reports it ({@link #markLost}): in one-leader mode it was replaced and retires; with shards spread, its view of the
 * members was behind, and it leaves the shard alone until the members change again.
 */
public final class Shards {

    private static final Logger LOG = Logger.getLogger(Shards.class);
    /** How long a call waits for a shard this node is taking over (its previous owner's lease may still run). */
    private static final long TAKE_OVER_WAIT_SECONDS = 15;

    private final int count;
    private final String nodeId;
    private final ExecutionStore store;
    private final AtomicReferenceArray<ShardContext> owned;
    /** Completes when this node holds the shard; replaced when it gives the shard up. */
    private final AtomicReferenceArray<CompletableFuture<Void>> arrivals;
    private final LostShards onLost;
    private final BooleanSupplier mayServe;
    private volatile boolean[] assigned;
    private final Set<Integer> lost = ConcurrentHashMap.newKeySet();
    private volatile IntConsumer onAcquired = shard -> { };
    private volatile IntConsumer onReleased = shard -> { };

    /** What a node does when another took one of its shards over. */
    interface LostShards {
        void lost(int shardId, String why);
    }

    /**
     * @param mayServe whether a call for a shard this node is not assigned may wait for it (one-leader mode: the node
     *                 leads, or does not know yet) instead of failing at once
     */
    Shards(HistoryConfig config, ExecutionStore store, String nodeId, BooleanSupplier mayServe, LostShards onLost) {
        // The keyspace's own count wins over configuration: workflows hash onto shards for good.
        this.count = store.historyShards(config.shards());
        if (count != config.shards()) {
            LOG.infof("this keyspace has %d history shards (recorded when it was created); the configured %d applies "
                    + "to new keyspaces only", count, config.shards());
        }
        this.nodeId = nodeId;
        this.store = store;
        this.onLost = onLost;
        this.mayServe = mayServe;
        this.owned = new AtomicReferenceArray<>(count);
        this.arrivals = new AtomicReferenceArray<>(count);
        for (int shard = 0; shard < count; shard++) {
            arrivals.set(shard, new CompletableFuture<>());
        }
        this.assigned = new boolean[count];
    }

    /** What runs after this node took a shard over (recovery), and after it gave one up (dropping what it held). */
    void onChange(IntConsumer acquired, IntConsumer released) {
        this.onAcquired = acquired;
        this.onReleased = released;
    }

    int count() {
        return count;
    }

    /** Stable across nodes and restarts: FNV-1a over namespace id and workflow id. */
    int shardOf(String namespaceId, String workflowId) {
        return shardOf(namespaceId, workflowId, count);
    }

    /** The shard of a workflow id among {@code count} shards (tests place workflows on one shard with it). */
    public static int shardOf(String namespaceId, String workflowId, int count) {
        int hash = 0x811c9dc5;
        for (byte b : (namespaceId + "/" + workflowId).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return Math.floorMod(hash, count);
    }

    /** Takes every shard over. */
    void acquireAll() {
        boolean[] all = new boolean[count];
        java.util.Arrays.fill(all, true);
        serveOnly(all, new boolean[count]);
    }

    /** Gives every shard up: from now on calls that need one fail at once, to be retried on their owner. */
    void releaseAll() {
        serveOnly(new boolean[count], new boolean[count]);
    }

    /**
     * Serves exactly the shards marked: gives the others up first, then takes the new ones over (a shard found lost
     * is left alone until {@link #forgetLost}). Calls for a shard being taken over, or {@code deferred} (to be taken
     * over shortly), wait for it meanwhile.
     */
    synchronized void serveOnly(boolean[] shards, boolean[] deferred) {
        boolean[] expected = new boolean[count];
        for (int shard = 0; shard < count; shard++) {
            expected[shard] = shards[shard] || deferred[shard];
        }
        assigned = expected;
        List<Integer> released = new ArrayList<>();
        for (int shard = 0; shard < count; shard++) {
            if (!shards[shard] && owned.get(shard) != null) {
                owned.set(shard, null);
                arrivals.set(shard, new CompletableFuture<>());
                released.add(shard);
            }
        }
        released.forEach(shard -> onReleased.accept(shard));
        List<Integer> acquired = new ArrayList<>();
        for (int shard = 0; shard < count; shard++) {
            if (shards[shard] && owned.get(shard) == null && !lost.contains(shard)) {
                try {
                    owned.set(shard, new ShardContext(shard, store.acquireShard(shard, nodeId)));
                    acquired.add(shard);
                } catch (RuntimeException e) {
                    LOG.warnf("could not take shard %d over (%s); the next membership change retries", shard,
                            e.getMessage());
                }
            }
        }
        for (int shard : acquired) {
            onAcquired.accept(shard);
            arrivals.get(shard).complete(null);
        }
        if (!released.isEmpty() || !acquired.isEmpty()) {
            LOG.infof("node %s serves %d of %d shards (took %s over, gave %s up)", nodeId, servedCount(), count,
                    acquired, released);
        }
    }

    /**
     * Another node took the shard over (its range id moved past {@code lost}'s). Called by threads that hold a
     * workflow's lock, so it takes no lock of its own: it lets go of exactly that hold, not a newer one.
     */
    void markLost(ShardContext lost) {
        int shardId = lost.shardId();
        if (owned.compareAndSet(shardId, lost, null)) {
            arrivals.set(shardId, new CompletableFuture<>());
            onReleased.accept(shardId);
        }
        if (owned.get(shardId) == null && this.lost.add(shardId)) {
            onLost.lost(shardId, "shard " + shardId + " was taken over by another node");
        }
    }

    /** The range id of this node's hold on the shard now; 0 when it does not hold it. */
    long rangeIdNow(int shardId) {
        ShardContext context = owned.get(shardId);
        return context == null ? 0 : context.rangeId();
    }

    /** The members changed: shards found lost may be this node's again. */
    void forgetLost() {
        lost.clear();
    }

    /** Whether this node serves the shard now (taken over and not lost since). */
    boolean serves(int shardId) {
        return owned.get(shardId) != null;
    }

    /** Whether this node holds every shard it is assigned now, and lost none. */
    boolean acquired() {
        boolean[] shards = assigned;
        for (int shard = 0; shard < count; shard++) {
            if (shards[shard] && owned.get(shard) == null) {
                return false;
            }
        }
        return lost.isEmpty();
    }

    /** How many shards this node serves now. */
    int servedCount() {
        int served = 0;
        for (int shard = 0; shard < count; shard++) {
            served += serves(shard) ? 1 : 0;
        }
        return served;
    }

    /** The shards this node serves now, for health details. */
    List<Integer> served() {
        List<Integer> served = new ArrayList<>();
        for (int shard = 0; shard < count; shard++) {
            if (serves(shard)) {
                served.add(shard);
            }
        }
        return served;
    }

    ShardContext context(int shardId) {
        ShardContext context = owned.get(shardId);
        if (context != null) {
            return context;
        }
        if (!assigned[shardId] && !mayServe.getAsBoolean()) {
            throw ApiErrors.unavailable("shard " + shardId + " is not served by this data-plane node now; retry");
        }
        try {
            arrivals.get(shardId).get(TAKE_OVER_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for shard ownership");
        } catch (ExecutionException | TimeoutException e) {
            throw ApiErrors.unavailable("shard " + shardId + " not taken over yet; retry");
        }
        context = owned.get(shardId);
        if (context == null) {
            throw ApiErrors.unavailable("shard " + shardId + " is not served by this data-plane node now; retry");
        }
        return context;
    }
}
