package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.cluster.Membership;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when this node can take calls: the leader once it holds every shard, another node once it knows the leader
 * to forward to. The details say which node this is, which one leads and how many shards this one serves.
 */
@Readiness
@ApplicationScoped
public class ShardOwnershipCheck implements HealthCheck {

    private final HistoryEngine engine;
    private final Membership membership;

    public ShardOwnershipCheck(HistoryEngine engine, Membership membership) {
        this.engine = engine;
        this.membership = membership;
    }

    @Override
    public HealthCheckResponse call() {
        String problem = engine.shardOwnershipProblem();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("shards").status(problem == null)
                .withData("node", membership.nodeId())
                .withData("pid", ProcessHandle.current().pid())
                .withData("role", membership.isLeader() ? "leader" : "forwarding")
                .withData("leader", membership.leader().map(m -> m.nodeId() + " at " + m.address()).orElse("none"))
                .withData("members", membership.members().size())
                .withData("servedShards", engine.servedShards());
        return problem == null ? response.build() : response.withData("error", problem).build();
    }
}
