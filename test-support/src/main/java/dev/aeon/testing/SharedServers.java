package dev.aeon.testing;

import dev.aeon.embedded.CassandraServer;
import dev.aeon.embedded.PostgresServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The one Cassandra and the one PostgreSQL of a test JVM: started on first use, shared by every test and every
 * Quarkus boot in that JVM, stopped when the JVM exits. Each run starts from empty data directories.
 */
public final class SharedServers {

    private static CassandraServer cassandra;
    private static PostgresServer postgres;

    private SharedServers() {
    }

    public static synchronized CassandraServer cassandra() {
        if (cassandra == null) {
            Path dir = freshDirectory("cassandra");
            cassandra = CassandraServer.start(CassandraServer.Settings.forTests(dir));
            Runtime.getRuntime().addShutdownHook(new Thread(cassandra::close, "stop-test-cassandra"));
        }
        return cassandra;
    }

    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            Path dir = freshDirectory("postgres");
            postgres = PostgresServer.start(PostgresServer.Settings.forTests(dir));
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "stop-test-postgres"));
        }
        return postgres;
    }

    /** Under the build directory (surefire sets AEON_TEST_WORK_DIR), else the system temp directory. */
    private static Path freshDirectory(String name) {
        String base = System.getenv("AEON_TEST_WORK_DIR");
        Path root = base != null ? Path.of(base) : Path.of(System.getProperty("java.io.tmpdir"), "aeon-test");
        Path dir = root.resolve(name);
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }
}
