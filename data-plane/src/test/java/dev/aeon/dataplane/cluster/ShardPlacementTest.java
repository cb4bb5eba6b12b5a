package dev.aeon.dataplane.cluster;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where shards go: each to one live node, evenly, the same on every node, moving little when nodes come and go. */
class ShardPlacementTest {

    private static List<Member> nodes(int count) {
        return IntStream.range(0, count).mapToObj(i -> new Member("node-" + i, "10.0.0." + i + ":7233",
                "10.0.0." + i + ":7241", 1000 + i)).toList();
    }

    private static Map<String, Integer> load(Member[] owners) {
        Map<String, Integer> load = new HashMap<>();
        for (Member owner : owners) {
            assertNotNull(owner, "every shard has an owner");
            load.merge(owner.nodeId(), 1, Integer::sum);
        }
        return load;
    }

    @Test
    void everyShardHasOneOwnerAndNoNodeHoldsMoreThanItsShare() {
        for (int shards : new int[]{4, 16, 64}) {
            for (int count = 1; count <= 5; count++) {
                Map<String, Integer> load = load(ShardPlacement.place(nodes(count), shards));
                int cap = (shards + count - 1) / count;
                assertTrue(load.values().stream().allMatch(held -> held <= cap), shards + " shards on " + count
                        + " nodes: " + load);
                if (shards >= count) {
                    assertEquals(count, load.size(), "every node serves shards: " + load);
                }
            }
        }
    }

    @Test
    void everyNodeComputesTheSamePlacementWhateverOrderItReadTheMembersIn() {
        List<Member> shuffled = new ArrayList<>(nodes(4));
        Member[] first = ShardPlacement.place(shuffled, 16);
        Collections.shuffle(shuffled, new java.util.Random(7));
        assertArrayEquals(first, ShardPlacement.place(shuffled, 16));
    }

    @Test
    void aNodeJoiningOrLeavingMovesAboutItsShare() {
        int shards = 64;
        Member[] three = ShardPlacement.place(nodes(3), shards);
        Member[] four = ShardPlacement.place(nodes(4), shards);
        int movedOnJoin = moved(three, four);
        // The newcomer takes its 16; bounded load may shuffle a few more between the others.
        assertTrue(movedOnJoin >= 16 && movedOnJoin <= 26, "moved on join: " + movedOnJoin);

        List<Member> survivors = new ArrayList<>(nodes(4));
        Member gone = survivors.remove(2);
        Member[] after = ShardPlacement.place(survivors, shards);
        long orphaned = java.util.Arrays.stream(four).filter(owner -> owner.equals(gone)).count();
        int movedOnLeave = moved(four, after);
        assertTrue(movedOnLeave >= orphaned && movedOnLeave <= orphaned + 10,
                "moved on leave: " + movedOnLeave + " (" + orphaned + " were the dead node's)");
        assertTrue(java.util.Arrays.stream(after).noneMatch(gone::equals));
    }

    @Test
    void noMembersPlaceNothing() {
        assertArrayEquals(new Member[4], ShardPlacement.place(List.of(), 4));
    }

    private static int moved(Member[] before, Member[] after) {
        int moved = 0;
        for (int shard = 0; shard < before.length; shard++) {
            moved += before[shard].equals(after[shard]) ? 0 : 1;
        }
        return moved;
    }
}
