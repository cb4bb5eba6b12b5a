package dev.aeon.dataplane.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Not live once retired: a node replaced while it was paused or cut off from Cassandra never serves again in this
 * process, so its supervisor (Kubernetes' liveness probe) restarts it and it rejoins as a new member.
 */
@Liveness
@ApplicationScoped
public class MembershipLiveness implements HealthCheck {

    private final Membership membership;

    public MembershipLiveness(Membership membership) {
        this.membership = membership;
    }

    @Override
    public HealthCheckResponse call() {
        String retired = membership.retired();
        return retired == null ? HealthCheckResponse.up("membership")
                : HealthCheckResponse.named("membership").down().withData("retired", retired).build();
    }
}
