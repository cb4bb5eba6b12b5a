package dev.aeon.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Cassandra node (the {@code cassandra-all} artifact) running in a separate JVM on loopback.
 *
 * <p>Cassandra's libraries clash with Quarkus's, so it never shares a JVM with Aeon: the classpath recorded by the
 * {@code cassandra-runtime} module at build time is handed to a child {@code java} process, together with the
 * add-opens/add-exports flags from Cassandra's own {@code jvm17-server.options}. The child stops itself when the
 * launching process exits, so no orphan keeps the ports or the data directory.
 *
 * <p>Data in {@link Settings#directory()} survives a restart; start on the same directory to reuse it.
 */
public final class CassandraServer implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "dev/aeon/cassandra/runtime/classpath.txt";
    private static final String MAIN_CLASS = "dev.aeon.cassandra.runtime.CassandraMain";

    /** From Cassandra's conf/jvm17-server.options: what its code needs from the JDK's modules. */
    private static final List<String> JDK17_MODULE_FLAGS = List.of(
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.math=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/java.net=ALL-UNNAMED");

    /**
     * Where and how to run the node.
     *
     * @param directory     data, commit log, logs and generated configuration live under it
     * @param cqlPort       native protocol port clients connect to
     * @param storagePort   inter-node port; bound even by a single node
     * @param heap          -Xmx/-Xms value, e.g. "1G"
     * @param startTimeout  how long to wait for the CQL port before giving up
     */
    public record Settings(Path directory, int cqlPort, int storagePort, String heap, Duration startTimeout) {

        public static Settings forTests(Path directory) {
            return new Settings(directory, Ports.free(), Ports.free(), "1G", Duration.ofMinutes(3));
        }
    }

    private final Settings settings;
    private final Process process;

    private CassandraServer(Settings settings, Process process) {
        this.settings = settings;
        this.process = process;
    }

    /** Starts a node and waits until it accepts CQL connections. */
    public static CassandraServer start(Settings settings) {
        Path dir = settings.directory().toAbsolutePath();
        try {
            Files.createDirectories(dir.resolve("conf"));
            Files.createDirectories(dir.resolve("logs"));
            Path yaml = dir.resolve("conf/cassandra.yaml");
            Files.writeString(yaml, cassandraYaml(dir, settings));
            Path logback = dir.resolve("conf/logback.xml");
            Files.writeString(logback, logbackXml(dir));

            List<String> command = new ArrayList<>();
            command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xms" + settings.heap());
            command.add("-Xmx" + settings.heap());
            command.add("-XX:+UseG1GC");
            command.add("-Xss512k");
            command.add("-Djava.net.preferIPv4Stack=true");
            command.add("-Djdk.attach.allowAttachSelf=true");
            command.add("-Dcassandra-foreground=yes");
            command.add("-Dcassandra.config=" + yaml.toUri());
            command.add("-Dcassandra.storagedir=" + dir);
            command.add("-Dcassandra.logdir=" + dir.resolve("logs"));
            command.add("-Dlogback.configurationFile=" + logback);
            // A single seed node has no ring to wait for.
            command.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
            command.add("-Dcassandra.ring_delay_ms=1000");
            command.add("-D" + "aeon.parent-pid" + "=" + ProcessHandle.current().pid());
            command.addAll(JDK17_MODULE_FLAGS);
            command.add("-cp");
            command.add(cassandraClasspath());
            command.add(MAIN_CLASS);

            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("logs/stdout.log").toFile()))
                    .start();
            CassandraServer server = new CassandraServer(settings, process);
            server.awaitCql();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Cassandra in " + dir, e);
        }
    }

    public InetSocketAddress contactPoint() {
        return new InetSocketAddress("127.0.0.1", settings.cqlPort());
    }

    /** Cassandra's default datacenter name for a node using SimpleSnitch. */
    public String localDatacenter() {
        return "datacenter1";
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return settings.directory().toAbsolutePath().resolve("logs/system.log");
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitCql() {
        Instant deadline = Instant.now().plus(settings.startTimeout());
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new EmbeddedServerException("Cassandra exited with code " + process.exitValue()
                        + " while starting. Last lines of its log:\n" + tail());
            }
            try (Socket socket = new Socket()) {
                socket.connect(contactPoint(), 500);
                return;
            } catch (IOException notYet) {
                sleep(250);
            }
        }
        close();
        throw new EmbeddedServerException("Cassandra did not open CQL port " + settings.cqlPort() + " within "
                + settings.startTimeout().toSeconds() + " s. Last lines of its log:\n" + tail());
    }

    private String tail() {
        Path stdout = settings.directory().toAbsolutePath().resolve("logs/stdout.log");
        Path log = Files.exists(logFile()) ? logFile() : stdout;
        return LogTail.of(log, 40);
    }

    private static String cassandraClasspath() throws IOException {
        URL resource = CassandraServer.class.getClassLoader().getResource(CLASSPATH_RESOURCE);
        if (resource == null) {
            throw new EmbeddedServerException("Cassandra's classpath (" + CLASSPATH_RESOURCE
                    + ") is not on the classpath: build the cassandra-runtime module first (./mvnw install)");
        }
        String recorded;
        try (InputStream in = resource.openStream()) {
            recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        // The runtime module itself holds CassandraMain; its location is wherever the resource was found.
        return recorded + java.io.File.pathSeparator + CodeLocation.of(resource, CLASSPATH_RESOURCE);
    }

    private static String cassandraYaml(Path dir, Settings settings) {
        return """
                # Generated by Aeon's embedded launcher on every start; edit CassandraServer instead.
                cluster_name: aeon
                num_tokens: 16
                partitioner: org.apache.cassandra.dht.Murmur3Partitioner
                data_file_directories:
                  - %1$s/data
                commitlog_directory: %1$s/commitlog
                saved_caches_directory: %1$s/saved_caches
                hints_directory: %1$s/hints
                cdc_raw_directory: %1$s/cdc_raw
                commitlog_sync: periodic
                commitlog_sync_period: 10000ms
                seed_provider:
                  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
                    parameters:
                      - seeds: "127.0.0.1:%3$d"
                listen_address: 127.0.0.1
                rpc_address: 127.0.0.1
                storage_port: %3$d
                native_transport_port: %2$d
                start_native_transport: true
                endpoint_snitch: SimpleSnitch
                authenticator: AllowAllAuthenticator
                authorizer: AllowAllAuthorizer
                disk_failure_policy: stop
                commit_failure_policy: stop
                auto_snapshot: false
                # Paxos v2 needs fewer round trips per lightweight transaction than v1.
                paxos_variant: v2
                # The data plane's group commit writes batches of up to ~40 KiB (below the 50 KiB fail threshold);
                # the default 5 KiB warning would log most of them.
                batch_size_warn_threshold: 64KiB
                """.formatted(dir, settings.cqlPort(), settings.storagePort());
    }

    private static String logbackXml(Path dir) {
        return """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s/logs/system.log</file>
                    <encoder><pattern>%%-5level [%%thread] %%date{ISO8601} %%F:%%L - %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(dir);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedServerException("interrupted while waiting for a server to start");
        }
    }
}
