package dev.aeon.dataplane.cluster;

import java.util.Comparator;

/**
 * A data-plane node alive now: its id, the gRPC address other nodes forward calls to, its HTTP address (the internal
 * API's calls that need the leader go there), and when it joined (its clock). A node that rejoins after its lease
 * lapsed joins anew, with a new start time.
 */
public record Member(String nodeId, String address, String httpAddress, long startedAtMillis) {

    /** Oldest first; the node id breaks ties, so every node orders the members the same way. */
    public static final Comparator<Member> SENIORITY = Comparator.comparingLong(Member::startedAtMillis)
            .thenComparing(Member::nodeId);
}
