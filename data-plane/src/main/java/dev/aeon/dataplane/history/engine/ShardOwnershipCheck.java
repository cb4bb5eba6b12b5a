package dev.aeon.dataplane.history.engine;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while this node owns every shard. A node whose shards another node took over would answer
 * UNAVAILABLE for their workflows; not ready, it is taken out of the Service instead.
 */
@Readiness
@ApplicationScoped
public class ShardOwnershipCheck implements HealthCheck {

    private final HistoryEngine engine;

    public ShardOwnershipCheck(HistoryEngine engine) {
        this.engine = engine;
    }

    @Override
    public HealthCheckResponse call() {
        String problem = engine.shardOwnershipProblem();
        return problem == null ? HealthCheckResponse.up("shards")
                : HealthCheckResponse.named("shards").down().withData("error", problem).build();
    }
}
