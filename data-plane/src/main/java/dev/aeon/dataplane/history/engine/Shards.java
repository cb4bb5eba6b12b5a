package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.persistence.ExecutionStore;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Which shard a workflow belongs to, and this node's hold on the shards. Shards are served by one node at a time,
 * the cluster's leader ({@code cluster.Membership}): it takes every shard over when it becomes leader (each
 * take-over moves the shard's range id past the previous owner's, which fences that owner's writes), and gives them
 * up when it stops. A node that finds a shard taken over by someone else tells {@code onLost} once: it was
 * replaced, and retires.
 */
public final class Shards {

    private static final Logger LOG = Logger.getLogger(Shards.class);

    private final int count;
    private final String nodeId;
    private final ExecutionStore store;
    private final AtomicReferenceArray<ShardContext> owned;
    private final java.util.function.Consumer<String> onLost;
    private final java.util.function.BooleanSupplier mayServe;
    private volatile boolean serving;
    private volatile CompletableFuture<Void> ready = new CompletableFuture<>();
    private final java.util.Set<Integer> lost = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param mayServe whether this node is to serve the shards (it leads, or does not know yet): then a call waits
     *                 for the take-over instead of failing
     */
    Shards(HistoryConfig config, ExecutionStore store, String nodeId, java.util.function.BooleanSupplier mayServe,
           java.util.function.Consumer<String> onLost) {
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

    /** Takes every shard over: calls wait for it ({@link #context}) rather than fail meanwhile. */
    void acquireAll() {
        serving = true;
        for (int shard = 0; shard < count; shard++) {
            owned.set(shard, new ShardContext(shard, store.acquireShard(shard, nodeId)));
        }
        LOG.infof("node %s owns shards 0..%d", nodeId, count - 1);
        ready.complete(null);
    }

    /** Gives every shard up: from now on calls that need one fail at once, to be retried on the leader. */
    void releaseAll() {
        serving = false;
        for (int shard = 0; shard < count; shard++) {
            owned.set(shard, null);
        }
        ready = new CompletableFuture<>();
        LOG.infof("node %s serves no shards now", nodeId);
    }

    /** Another node took the shard over (its range id moved past this node's): this node was replaced. */
    void markLost(int shardId) {
        if (lost.add(shardId)) {
            onLost.accept("shard " + shardId + " was taken over by another node");
        }
    }

    /** Whether this node serves the shard now (taken over and not lost since). */
    boolean serves(int shardId) {
        return serving && owned.get(shardId) != null && !lost.contains(shardId);
    }

    /** Whether this node holds every shard now. */
    boolean acquired() {
        return serving && ready.isDone() && lost.isEmpty();
    }

    /** How many shards this node serves now. */
    int servedCount() {
        int served = 0;
        for (int shard = 0; shard < count; shard++) {
            served += serves(shard) ? 1 : 0;
        }
        return served;
    }

    ShardContext context(int shardId) {
        if (!serving && !mayServe.getAsBoolean()) {
            throw ApiErrors.unavailable("this data-plane node does not serve workflows at the moment; retry");
        }
        CompletableFuture<Void> taken = ready;
        if (!taken.isDone()) {
            try {
                taken.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for shard ownership");
            } catch (ExecutionException | TimeoutException e) {
                throw ApiErrors.unavailable("shards not taken over yet; retry");
            }
        }
        ShardContext context = owned.get(shardId);
        if (context == null) {
            throw ApiErrors.unavailable("this data-plane node does not serve workflows at the moment; retry");
        }
        return context;
    }
}
