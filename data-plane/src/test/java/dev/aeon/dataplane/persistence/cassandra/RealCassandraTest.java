package dev.aeon.dataplane.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class RealCassandraTest {

    @Inject
    CqlSession session;

    @Test
    void theDataPlaneTalksToARealCassandra5Node() {
        String version = session.execute("SELECT release_version FROM system.local").one().getString(0);

        assertTrue(version.startsWith("5.0."), "release_version was " + version);
    }

    @Test
    void everyMigrationIsRecordedOnce() {
        List<Integer> versions = session.execute("SELECT version FROM schema_version").all().stream()
                .map(r -> r.getInt("version")).sorted().toList();
        List<Integer> expected = SchemaMigrator.load().stream().map(SchemaMigrator.Migration::version).toList();

        assertEquals(expected, versions);
        assertTrue(session.getMetadata().getKeyspace(session.getKeyspace().orElseThrow())
                .flatMap(ks -> ks.getTable("namespaces")).isPresent());
    }

    @Test
    void migratingAgainChangesNothing() {
        new SchemaMigrator(session).migrate();

        assertEquals(SchemaMigrator.load().size(), session.execute("SELECT version FROM schema_version").all().size());
    }

    @Test
    void readinessIncludesCassandra() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.find { it.name == 'cassandra' }.status", equalTo("UP"));
    }
}
