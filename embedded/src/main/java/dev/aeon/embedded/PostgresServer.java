package dev.aeon.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * A real PostgreSQL server on loopback, from the native binaries zonky publishes on Maven Central.
 *
 * <p>The cluster lives in {@link Settings#directory()} and is reused when started again on the same directory.
 * Connections use the {@code postgres} superuser with trust authentication, which is bound to loopback only.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";

    /**
     * @param directory where the cluster's data and the extracted binaries live
     * @param port      the port to listen on
     * @param database  created on first start if missing
     */
    public record Settings(Path directory, int port, String database) {

        public static Settings forTests(Path directory) {
            return new Settings(directory, Ports.free(), "aeon");
        }
    }

    private final Settings settings;
    private final EmbeddedPostgres postgres;

    private PostgresServer(Settings settings, EmbeddedPostgres postgres) {
        this.settings = settings;
        this.postgres = postgres;
    }

    public static PostgresServer start(Settings settings) {
        Path dir = settings.directory().toAbsolutePath();
        Path data = dir.resolve("data");
        try {
            Files.createDirectories(dir.resolve("binaries"));
            stopLeftoverPostmaster(data);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setPort(settings.port())
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(dir.resolve("binaries").toFile())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()))
                    .start();
            PostgresServer server = new PostgresServer(settings, postgres);
            server.createDatabaseIfMissing();
            stopWithThisProcess(data);
            return server;
        } catch (IOException e) {
            throw new EmbeddedServerException("PostgreSQL did not start in " + dir + ": " + e.getMessage()
                    + "\nLast lines of its log:\n" + LogTail.of(dir.resolve("postgres.log"), 30), e);
        }
    }

    public int port() {
        return settings.port();
    }

    public String database() {
        return settings.database();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + settings.port() + "/" + settings.database();
    }

    /** The Vert.x reactive client's URL form. */
    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + settings.port() + "/" + settings.database();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop PostgreSQL", e);
        }
    }

    private void createDatabaseIfMissing() {
        String admin = "jdbc:postgresql://127.0.0.1:" + settings.port() + "/postgres";
        try (Connection c = DriverManager.getConnection(admin, USER, "");
             Statement s = c.createStatement()) {
            var exists = s.executeQuery("select 1 from pg_database where datname = '" + settings.database() + "'");
            if (!exists.next()) {
                s.execute("create database \"" + settings.database() + "\"");
            }
        } catch (SQLException e) {
            throw new EmbeddedServerException("could not create database " + settings.database(), e);
        }
    }

    /**
     * PostgreSQL's server does not watch its launcher, so a small shell loop does: when this JVM is gone, even
     * killed outright, the postmaster gets a fast shutdown instead of lingering on the port.
     */
    private static void stopWithThisProcess(Path data) throws IOException {
        String postmaster = Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim();
        String watch = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 1; done; "
                + "kill -INT " + postmaster + " 2>/dev/null";
        new ProcessBuilder("sh", "-c", watch)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /**
     * A postmaster left running by a launcher that was killed holds the data directory; it belongs to this
     * directory alone, so it is stopped before starting again.
     */
    private static void stopLeftoverPostmaster(Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
        Optional<ProcessHandle> leftover = first.isEmpty() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(first));
        leftover.filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(cmd -> cmd.endsWith("postgres")).orElse(false))
                .ifPresent(p -> {
                    p.destroy();
                    p.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
                });
    }
}
