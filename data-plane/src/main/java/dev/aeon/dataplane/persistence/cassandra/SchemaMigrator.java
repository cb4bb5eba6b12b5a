package dev.aeon.dataplane.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Applies the versioned, forward-only CQL migrations under {@code db/cassandra/} in order, recording each in
 * {@code schema_version}. The migrations listed in {@code db/cassandra/migrations} are applied in that order;
 * a recorded migration whose text has since changed stops start-up, because a released migration is never edited.
 *
 * <p>Each statement is idempotent, so nodes starting together may all run a migration safely (the version row is
 * then written once): written with {@code IF NOT EXISTS}, or, for the released {@code ALTER TABLE ... ADD}
 * statements that lack it, a column another node added first is taken as added.
 */
public final class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class);
    private static final String ROOT = "db/cassandra/";
    /**
     * A schema change waits for every Cassandra node to agree on the new schema, and several data-plane nodes
     * starting together queue theirs behind each other: far longer than a query's 2 s on a busy machine. A change
     * that timed out here may still apply, which the statements' idempotence covers on the next start.
     */
    static final Duration SCHEMA_CHANGE_TIMEOUT = Duration.ofSeconds(60);

    private final CqlSession session;

    public SchemaMigrator(CqlSession session) {
        this.session = session;
    }

    /** A migration file: V{version}__{description}.cql. */
    record Migration(int version, String name, String text) {

        String checksum() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        List<String> statements() {
            return Arrays.stream(text.split(";\\s*(\\n|$)"))
                    .map(s -> s.lines().filter(l -> !l.trim().startsWith("--")).collect(Collectors.joining("\n")).trim())
                    .filter(s -> !s.isEmpty())
                    .toList();
        }
    }

    public void migrate() {
        session.execute(SimpleStatement.newInstance("CREATE TABLE IF NOT EXISTS schema_version ("
                + "version int PRIMARY KEY, name text, checksum text, applied_at timestamp)")
                .setTimeout(SCHEMA_CHANGE_TIMEOUT));
        Map<Integer, Row> applied = session.execute("SELECT version, name, checksum FROM schema_version").all()
                .stream().collect(Collectors.toMap(r -> r.getInt("version"), Function.identity()));
        for (Migration migration : load()) {
            Row done = applied.get(migration.version());
            if (done != null) {
                if (!migration.checksum().equals(done.getString("checksum"))) {
                    throw new IllegalStateException("Cassandra migration " + migration.name()
                            + " was changed after it was applied; add a new migration instead");
                }
                continue;
            }
            LOG.infof("applying Cassandra migration %s", migration.name());
            for (String statement : migration.statements()) {
                try {
                    session.execute(SimpleStatement.newInstance(statement).setTimeout(SCHEMA_CHANGE_TIMEOUT));
                } catch (InvalidQueryException e) {
                    if (!alreadyApplied(e)) {
                        throw e;
                    }
                    // Another node starting at the same moment made this change first (ALTER TABLE ... ADD has no
                    // IF NOT EXISTS in the released migrations): the schema is as this statement wants it.
                    LOG.infof("Cassandra migration %s: %s (another node applied it)", migration.name(), e.getMessage());
                }
            }
            session.execute(SimpleStatement.newInstance(
                    "INSERT INTO schema_version (version, name, checksum, applied_at) VALUES (?, ?, ?, ?) IF NOT EXISTS",
                    migration.version(), migration.name(), migration.checksum(), Instant.now()));
        }
    }

    private static boolean alreadyApplied(InvalidQueryException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("already exists") || message.contains("conflicts with an existing column");
    }

    static List<Migration> load() {
        return read(ROOT + "migrations").lines()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(file -> new Migration(version(file), file, read(ROOT + file)))
                .toList();
    }

    private static int version(String file) {
        if (!file.matches("V\\d+__[a-z0-9_]+\\.cql")) {
            throw new IllegalStateException("migration file name " + file + " must look like V1__description.cql");
        }
        return Integer.parseInt(file.substring(1, file.indexOf("__")));
    }

    private static String read(String resource) {
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
