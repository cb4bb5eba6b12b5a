package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.cluster.Membership;
import dev.aeon.dataplane.cluster.PeerChannels;
import io.grpc.ConnectivityState;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when this node can take calls: with shards spread, once it holds the shards the members give it; with one
 * leader, the leader once it holds every shard, another node once it knows the leader to forward to and can reach it (a leader that died holds its place until its lease runs out: a Service must not
 * send calls meanwhile to a node that could only fail them). The details say which node this is, which one leads and how many shards this one serves.
 */
@Readiness
@ApplicationScoped
public class ShardOwnershipCheck implements HealthCheck {

    private final HistoryEngine engine;
    private final Membership membership;
    private final PeerChannels peers;
    private final dev.aeon.dataplane.matching.TaskQueues matching;

    public ShardOwnershipCheck(HistoryEngine engine, Membership membership, PeerChannels peers,
                               dev.aeon.dataplane.matching.TaskQueues matching) {
        this.engine = engine;
        this.membership = membership;
        this.peers = peers;
        this.matching = matching;
    }

    @Override
    public HealthCheckResponse call() {
        String problem = engine.shardOwnershipProblem();
        if (problem == null && !engine.shardsSpread() && !membership.isLeader()) {
            // Connected to the leader, not just knowing its name: getState(true) starts connecting if need be.
            problem = membership.leader().filter(leader -> peers.to(leader.address()).getState(true)
                            != ConnectivityState.READY)
                    .map(leader -> "not connected to the leader " + leader.nodeId() + " (" + leader.address()
                            + "); if it died, a live node takes over when its lease runs out")
                    .orElse(null);
        }
        HealthCheckResponseBuilder response = HealthCheckResponse.named("shards").status(problem == null)
                .withData("node", membership.nodeId())
                .withData("pid", ProcessHandle.current().pid())
                .withData("placement", engine.shardsSpread() ? "spread" : "leader")
                .withData("role", engine.shardsSpread() ? "owner" : membership.isLeader() ? "leader" : "forwarding")
                .withData("leader", membership.leader().map(m -> m.nodeId() + " at " + m.address()).orElse("none"))
                .withData("members", membership.members().size())
                .withData("servedShards", engine.servedShards())
                .withData("shards", engine.servedShardIds().toString())
                // this node's partition of each: the tasks of its shards, and the polls waiting here
                .withData("taskQueues", matching.queueCount());
        return problem == null ? response.build() : response.withData("error", problem).build();
    }
}
