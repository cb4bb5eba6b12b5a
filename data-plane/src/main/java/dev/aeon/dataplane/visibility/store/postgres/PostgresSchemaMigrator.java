package dev.aeon.dataplane.visibility.store.postgres;

import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * Applies the forward-only migrations under {@code db/visibility/} that {@code db/visibility/migrations} lists, in
 * order, in the {@value #SCHEMA} schema, each in its own transaction with its row in
 * {@code visibility_schema_version}. A transaction-scoped advisory lock makes nodes starting together create the schema
 * and apply each migration once.
 */
public final class PostgresSchemaMigrator {

    private static final Logger LOG = Logger.getLogger(PostgresSchemaMigrator.class);
    /** Every connection's search path ({@link PostgresDataSources}); created here before anything else. */
    static final String SCHEMA = "visibility";
    private static final String ROOT = "db/visibility/";
    /** Any constant distinct from other users of advisory locks on this database. */
    private static final long LOCK_KEY = 0x5649534942494cL;

    private final DataSource dataSource;

    public PostgresSchemaMigrator(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void migrate() {
        try (Connection connection = dataSource.getConnection()) {
            // Under the same lock: PostgreSQL's IF NOT EXISTS is not safe against a concurrent creation (two nodes
            // starting together failed with a duplicate pg_type key).
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
                statement.execute("CREATE TABLE IF NOT EXISTS visibility_schema_version ("
                        + "name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            for (String name : resource("migrations").lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
                apply(connection, name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("visibility schema migration failed: " + e.getMessage(), e);
        }
    }

    private void apply(Connection connection, String name) throws SQLException {
        connection.setAutoCommit(false);
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            }
            if (applied(connection).contains(name)) {
                connection.rollback();
                return;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(resource(name));
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO visibility_schema_version (name) VALUES (?)")) {
                insert.setString(1, name);
                insert.executeUpdate();
            }
            connection.commit();
            LOG.infof("Applied visibility migration %s", name);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static Set<String> applied(Connection connection) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name FROM visibility_schema_version")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static String resource(String name) {
        try (InputStream in = PostgresSchemaMigrator.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("missing migration resource " + ROOT + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
