package dev.aeon.dataplane.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
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

    /**
     * Data-plane nodes starting together on a fresh keyspace (a Helm release's replicas, `aeon dev
     * --data-plane-nodes 3`) all migrate it at once: every one of them starts, each migration recorded once. Before,
     * the loser of the race on V4's ALTER TABLE ... ADD failed to start ("already exists").
     */
    @Test
    void nodesMigratingOneKeyspaceAtOnceAllStart() throws Exception {
        String keyspace = "migrate_race_" + Long.toHexString(System.nanoTime());
        session.execute(SimpleStatement.newInstance("CREATE KEYSPACE " + keyspace
                + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
                .setTimeout(SchemaMigrator.SCHEMA_CHANGE_TIMEOUT));
        var node = session.getMetadata().getNodes().values().iterator().next();
        List<CqlSession> nodes = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(CqlSession.builder().addContactEndPoint(node.getEndPoint())
                        .withLocalDatacenter(node.getDatacenter()).withKeyspace(keyspace).build());
            }
            var migrations = nodes.stream().map(s -> java.util.concurrent.CompletableFuture.runAsync(
                    () -> new SchemaMigrator(s).migrate())).toList();
            for (var migration : migrations) {
                migration.get(2, java.util.concurrent.TimeUnit.MINUTES);
            }
            assertEquals(SchemaMigrator.load().size(), nodes.get(0)
                    .execute("SELECT version FROM schema_version").all().size());
        } finally {
            nodes.forEach(CqlSession::close);
            session.execute(SimpleStatement.newInstance(
                    "DROP KEYSPACE IF EXISTS " + keyspace).setTimeout(SchemaMigrator.SCHEMA_CHANGE_TIMEOUT));
        }
    }

    @Test
    void readinessIncludesCassandra() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.find { it.name == 'cassandra' }.status", equalTo("UP"));
    }
}
