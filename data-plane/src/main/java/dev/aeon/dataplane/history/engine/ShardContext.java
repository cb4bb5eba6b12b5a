package dev.aeon.dataplane.history.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's hold on one shard: the range id that fences its writes, and the task ids it hands out. Task ids
 * are the range id in the high bits and a counter in the low bits, so they keep increasing across owners.
 */
final class ShardContext {

    private final int shardId;
    private final long rangeId;
    private final AtomicLong sequence = new AtomicLong();

    ShardContext(int shardId, long rangeId) {
        this.shardId = shardId;
        this.rangeId = rangeId;
    }

    int shardId() {
        return shardId;
    }

    long rangeId() {
        return rangeId;
    }

    long nextTaskId() {
        return (rangeId << 32) | sequence.incrementAndGet();
    }

    /** Every task id handed out so far is below this one. */
    long taskIdWatermark() {
        return ((rangeId << 32) | sequence.get()) + 1;
    }
}
