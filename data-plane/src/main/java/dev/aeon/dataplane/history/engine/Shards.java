package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.persistence.ExecutionStore;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Which shard a workflow belongs to, and this node's ownership of shards. A single node owns every shard; the
 * range-id fence already makes a second node taking a shard over safe (the first one's writes fail). A node that
 * finds a shard taken over remembers it, and reports itself not ready (ShardOwnershipCheck) rather than go on
 * answering UNAVAILABLE for that shard's workflows: it never takes a shard back.
 */
public final class Shards {

    private static final Logger LOG = Logger.getLogger(Shards.class);

    private final int count;
    private final String nodeId;
    private final ExecutionStore store;
    private final AtomicReferenceArray<ShardContext> owned;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final java.util.Set<Integer> lost = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Shards(HistoryConfig config, ExecutionStore store) {
        // The keyspace's own count wins over configuration: workflows hash onto shards for good.
        this.count = store.historyShards(config.shards());
        if (count != config.shards()) {
            LOG.infof("this keyspace has %d history shards (recorded when it was created); the configured %d applies "
                    + "to new keyspaces only", count, config.shards());
        }
        this.nodeId = config.nodeId().orElseGet(Shards::defaultNodeId);
        this.store = store;
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

    void acquireAll() {
        for (int shard = 0; shard < count; shard++) {
            owned.set(shard, new ShardContext(shard, store.acquireShard(shard, nodeId)));
        }
        LOG.infof("node %s owns shards 0..%d", nodeId, count - 1);
        ready.complete(null);
    }

    /** Another node took the shard over (its range id moved past this node's). */
    void markLost(int shardId) {
        if (lost.add(shardId)) {
            LOG.errorf("node %s lost shard %d to another node; it reports not ready from now on", nodeId, shardId);
        }
    }

    /** Shards this node owned and another node took over, in order. */
    java.util.SortedSet<Integer> lost() {
        return new java.util.TreeSet<>(lost);
    }

    boolean acquired() {
        return ready.isDone();
    }

    ShardContext context(int shardId) {
        if (!ready.isDone()) {
            try {
                ready.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for shard ownership");
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("shards not acquired", e);
            }
        }
        return owned.get(shardId);
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
