package dev.aeon.dataplane.cluster;

import java.time.Duration;
import java.util.List;

/** Lease rows of the live data-plane nodes (Cassandra's cluster_members). */
public interface MembershipStore {

    /** Writes (or renews) the member's lease row, which disappears by itself {@code lease} after the last renewal. */
    void renew(Member member, Duration lease);

    /** The members whose leases have not run out. */
    List<Member> members();

    /** Removes the member's row at once: a node leaving on purpose does not make the others wait out its lease. */
    void leave(String nodeId);
}
