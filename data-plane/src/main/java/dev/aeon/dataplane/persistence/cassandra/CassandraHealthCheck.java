package dev.aeon.dataplane.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while Cassandra answers. */
@Readiness
@ApplicationScoped
public class CassandraHealthCheck implements HealthCheck {

    @Inject
    CqlSession session;

    @Override
    public HealthCheckResponse call() {
        try {
            String version = session.execute("SELECT release_version FROM system.local").one().getString(0);
            return HealthCheckResponse.named("cassandra").up().withData("release_version", version).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("cassandra").down().withData("error", e.getMessage()).build();
        }
    }
}
