package dev.aeon.dataplane.visibility.store.postgres;

import dev.aeon.dataplane.visibility.query.QueryConverter;
import dev.aeon.dataplane.visibility.store.PageTokens;
import dev.aeon.dataplane.visibility.store.VisibilityStore;
import dev.aeon.dataplane.visibility.store.VisibilityStoreContract;
import dev.aeon.embedded.PostgresServer;
import dev.aeon.testing.SharedServers;
import io.agroal.api.AgroalDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract on the JVM's shared real PostgreSQL, without a Quarkus boot. */
class PostgresVisibilityStoreTest extends VisibilityStoreContract {

    private static AgroalDataSource dataSource;
    private static VisibilityStore store;

    @BeforeAll
    static void startStore() {
        PostgresServer postgres = SharedServers.postgres();
        dataSource = PostgresDataSources.create(postgres.jdbcUrl(), PostgresServer.USER, "", 4);
        new PostgresSchemaMigrator(dataSource).migrate();
        store = new PostgresVisibilityStore(dataSource, PageTokens.withRandomKey());
    }

    @AfterAll
    static void closeStore() {
        dataSource.close();
    }

    @Override
    protected VisibilityStore store() {
        return store;
    }

    private static int migrations() throws java.io.IOException {
        try (java.io.InputStream list = PostgresVisibilityStoreTest.class.getResourceAsStream("/db/visibility/migrations")) {
            return (int) new String(list.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank()).count();
        }
    }

    /** In its own schema, apart from the control plane's tables in the same database. */
    @Test
    void migratingAgainChangesNothing() throws Exception {
        new PostgresSchemaMigrator(dataSource).migrate();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM visibility.visibility_schema_version")) {
            rows.next();
            // one row per migration listed in db/visibility/migrations, each applied once
            assertEquals(migrations(), rows.getInt(1));
        }
    }

    /**
     * Data-plane nodes starting together migrate one fresh database at once: each step happens once, none fails. A
     * race, so tried on several fresh databases (without the lock around creating the schema, one failed in most runs).
     */
    @Test
    void nodesMigratingAFreshDatabaseTogetherAllSucceed() throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            migrateAFreshDatabaseFromSeveralNodesAtOnce();
        }
    }

    private static void migrateAFreshDatabaseFromSeveralNodesAtOnce() throws Exception {
        PostgresServer postgres = SharedServers.postgres();
        String database = "racing_" + java.util.UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        String url = postgres.jdbcUrl().substring(0, postgres.jdbcUrl().lastIndexOf('/') + 1) + database;
        int nodes = 6;
        java.util.List<AgroalDataSource> sources = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService starting = java.util.concurrent.Executors.newFixedThreadPool(nodes);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<?>> migrations = new java.util.ArrayList<>();
            for (int node = 0; node < nodes; node++) {
                AgroalDataSource source = PostgresDataSources.create(url, PostgresServer.USER, "", 1);
                sources.add(source);
                migrations.add(starting.submit(() -> {
                    go.await();
                    new PostgresSchemaMigrator(source).migrate();
                    return null;
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<?> migration : migrations) {
                migration.get(60, java.util.concurrent.TimeUnit.SECONDS); // throws if that node's migration failed
            }
            try (Connection connection = sources.get(0).getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count(*) FROM visibility.visibility_schema_version")) {
                rows.next();
                assertEquals(migrations(), rows.getInt(1));
            }
        } finally {
            starting.shutdownNow();
            sources.forEach(AgroalDataSource::close);
        }
    }

    /**
     * The Web UI's and CLI's common filter, as the store writes it, is served by its index once a namespace holds
     * many runs of many types (the planner's choice on a table with statistics, not a forced one).
     */
    @Test
    void theCommonFilterUsesItsIndex() throws Exception {
        String namespace = "plan-" + java.util.UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO executions_visibility (namespace_id, run_id, workflow_id, workflow_type,"
                    + " status, start_time, execution_time, history_length, history_size_bytes,"
                    + " state_transition_count, task_queue, memo, search_attribute_payloads, search_attributes,"
                    + " version) SELECT '" + namespace + "', 'run-' || i, 'wf-' || i, 'Type' || (i % 500),"
                    + " 1 + i % 3, now() - i * interval '1 second', now(), 1, 1, 1, 'tq', '', '', '{}', 1"
                    + " FROM generate_series(1, 50000) AS i");
            statement.execute("ANALYZE executions_visibility");
            PostgresQueryTranslator.Sql where = PostgresQueryTranslator.where(namespace,
                    QueryConverter.convert("WorkflowType = 'Type7' AND ExecutionStatus = 'Running'", Map.of()));
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement explain = connection.prepareStatement("EXPLAIN SELECT run_id FROM"
                    + " executions_visibility WHERE " + where.text() + " ORDER BY start_time DESC, run_id LIMIT 10")) {
                for (int i = 0; i < where.parameters().size(); i++) {
                    explain.setObject(i + 1, where.parameters().get(i));
                }
                try (ResultSet rows = explain.executeQuery()) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
            } finally {
                store.deleteNamespace(namespace);
            }
            assertTrue(plan.toString().contains("executions_visibility_by_type_status"), plan.toString());
        }
    }
}
