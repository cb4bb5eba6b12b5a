package dev.aeon.dataplane.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which live node owns each history shard: rendezvous hashing with a bound on load. Each shard ranks the members by
 * a hash of (node id, shard) and goes to the first in its ranking that holds fewer than its share (⌊shards / members⌋, or one more).
 * Every node computes the same placement from the same member list (no coordination), a node joining or leaving
 * moves about its share of shards and little more, and no node is left with none while another has three (plain
 * rendezvous hashing does that with as few shards as a small keyspace has).
 *
 * <p>The placement only says who should own a shard; the shard's range-id fence in Cassandra is what keeps two nodes
 * from ever writing to it at once while their views of the members differ for a moment.
 */
public final class ShardPlacement {

    private ShardPlacement() {
    }

    /** The owner of each shard, by index; empty members place nothing (every entry null). */
    public static Member[] place(List<Member> members, int shards) {
        Member[] owners = new Member[shards];
        if (members.isEmpty()) {
            return owners;
        }
        // Two passes keep every node at ⌊shards / members⌋ or one more: first each shard goes to the first node in
        // its ranking still under the floor; the few left over (fewer than the members) to the first still at it.
        int floor = shards / members.size();
        Map<String, Integer> load = new HashMap<>();
        for (int cap : new int[]{floor, floor + 1}) {
            for (int shard = 0; shard < shards; shard++) {
                if (owners[shard] == null) {
                    owners[shard] = firstUnder(ranking(members, shard), load, cap);
                }
            }
        }
        return owners;
    }

    private static List<Member> ranking(List<Member> members, int shard) {
        List<Member> ranking = new ArrayList<>(members);
        ranking.sort(Comparator.comparingLong((Member m) -> score(m.nodeId(), shard)).reversed()
                .thenComparing(Member::nodeId));
        return ranking;
    }

    private static Member firstUnder(List<Member> ranking, Map<String, Integer> load, int cap) {
        for (Member candidate : ranking) {
            if (load.getOrDefault(candidate.nodeId(), 0) < cap) {
                load.merge(candidate.nodeId(), 1, Integer::sum);
                return candidate;
            }
        }
        return null;
    }

    /** 64-bit FNV-1a over the node id and the shard, then a finalizer so near ids spread (same on every node). */
    static long score(String nodeId, int shard) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : (nodeId + "#" + shard).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash;
    }
}
