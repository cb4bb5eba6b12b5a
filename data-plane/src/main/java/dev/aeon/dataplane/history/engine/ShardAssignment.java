package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.cluster.Member;
import dev.aeon.dataplane.cluster.Membership;
import dev.aeon.dataplane.cluster.ShardPlacement;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the shards this node serves in line with the live members ({@link Membership}). Two modes
 * (docs/ARCHITECTURE.md, "Nodes"):
 * <ul>
 *   <li><b>spread</b> (the default): each shard is owned by the node {@link ShardPlacement} gives it to. A shard that
 *   was a dead node's is taken over at once; one that a live node still serves is taken over two heartbeats later,
 *   after that node saw the same members and gave it up, so a join does not fence writes in flight;</li>
 *   <li><b>leader</b>: the oldest member serves every shard, the others forward every call to it.</li>
 * </ul>
 */
final class ShardAssignment {

    private static final Logger LOG = Logger.getLogger(ShardAssignment.class);

    private final Membership membership;
    private final Shards shards;
    private final boolean spread;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aeon-shard-assignment");
        t.setDaemon(true);
        return t;
    });
    private volatile Member[] owners;
    private volatile long generation;
    private volatile boolean placed;

    ShardAssignment(Membership membership, Shards shards, boolean spread) {
        this.membership = membership;
        this.shards = shards;
        this.spread = spread;
        this.owners = new Member[shards.count()];
    }

    void start() {
        if (spread) {
            membership.onMembers(this::membersChanged);
        } else {
            membership.onLeadership(leads -> {
                if (leads) {
                    shards.acquireAll();
                } else {
                    shards.releaseAll();
                }
            });
        }
    }

    void stop() {
        later.shutdownNow();
    }

    boolean spread() {
        return spread;
    }

    /** Whether shards were placed yet (until then a call for any shard waits rather than fails). */
    boolean placed() {
        return placed;
    }

    /**
     * The node that owns the shard, as this node sees the members now; empty when that is this node, or when no
     * owner is known (the call is served here and fails UNAVAILABLE if this node cannot).
     */
    Optional<Member> remoteOwner(int shardId) {
        if (!spread) {
            return membership.isLeader() ? Optional.empty() : membership.leader();
        }
        Member owner = owners[shardId];
        return owner == null || owner.nodeId().equals(membership.nodeId()) ? Optional.empty() : Optional.of(owner);
    }

    /**
     * Another node took one of this node's shards over. With shards spread that is this node's view of the members
     * lagging for a moment, and the members change soon; if they do not (the placement still gives this node the
     * shard three heartbeats later), something else writes to its shard: it retires, as in one-leader mode at once.
     */
    void lost(int shardId, String why) {
        long seen = generation;
        later.schedule(() -> {
            Member owner = owners[shardId];
            if (generation == seen && owner != null && owner.nodeId().equals(membership.nodeId())) {
                membership.retire(why);
            }
        }, membership.heartbeat().toMillis() * 3, TimeUnit.MILLISECONDS);
    }

    private synchronized void membersChanged(List<Member> members) {
        // Before this node's first placement, the shards were where the other members alone would put them.
        Member[] before = placed ? owners : ShardPlacement.place(members.stream()
                .filter(m -> !m.nodeId().equals(membership.nodeId())).toList(), shards.count());
        Member[] after = ShardPlacement.place(members, shards.count());
        owners = after;
        long current = ++generation;
        shards.forgetLost();
        boolean[] now = new boolean[after.length];
        boolean[] deferred = new boolean[after.length];
        boolean waits = false;
        for (int shard = 0; shard < after.length; shard++) {
            boolean mine = after[shard] != null && after[shard].nodeId().equals(membership.nodeId());
            String previous = before[shard] == null ? null : before[shard].nodeId();
            boolean fromLiveNode = mine && previous != null && !previous.equals(membership.nodeId())
                    && members.stream().anyMatch(m -> m.nodeId().equals(previous));
            // A shard a live node holds is left to it until it saw these members too (next heartbeat or two).
            now[shard] = mine && (!fromLiveNode || shards.serves(shard));
            deferred[shard] = mine && !now[shard];
            waits |= deferred[shard];
        }
        shards.serveOnly(now, deferred);
        placed = !members.isEmpty();
        if (waits) {
            long delay = membership.heartbeat().toMillis() * 2;
            later.schedule(() -> takeOverLater(current), delay, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void takeOverLater(long expectedGeneration) {
        if (generation != expectedGeneration || membership.retired() != null) {
            return; // the members changed again meanwhile: that change decides
        }
        Member[] current = owners;
        boolean[] mine = new boolean[current.length];
        for (int shard = 0; shard < current.length; shard++) {
            mine[shard] = current[shard] != null && current[shard].nodeId().equals(membership.nodeId());
        }
        try {
            shards.serveOnly(mine, new boolean[mine.length]);
        } catch (RuntimeException e) {
            LOG.warnf("taking shards over failed (%s); the next membership change retries", e.getMessage());
        }
    }
}
