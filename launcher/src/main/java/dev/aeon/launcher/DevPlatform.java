package dev.aeon.launcher;

import dev.aeon.auth.InternalToken;
import dev.aeon.embedded.CassandraServer;
import dev.aeon.embedded.LogTail;
import dev.aeon.embedded.Ports;
import dev.aeon.embedded.PostgresServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The whole platform on one machine, for development: real Cassandra and PostgreSQL, then the data plane,
 * control plane and codec server, each a supervised child process. Any child that dies takes the platform down
 * with its log's last lines; Ctrl-C stops the services first, then the stores.
 */
final class DevPlatform {

    /** A start-up problem the user can fix; the message says which and how. */
    static final class StartFailure extends RuntimeException {
        StartFailure(String message) {
            super(message);
        }
    }

    /** Cassandra (1 GiB heap + off-heap) + PostgreSQL + three service JVMs, with room to spare. */
    private static final long MIN_AVAILABLE_BYTES = 3L * 1024 * 1024 * 1024;
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

    private final Path home;
    private final Path dataDir;
    private final DevPorts ports;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<ServiceProcess> services = new ArrayList<>();
    private CassandraServer cassandra;
    private PostgresServer postgres;
    private volatile boolean stopping;
    private boolean visibility = true;
    private int dataPlaneNodes = 1;
    /** With several data-plane nodes: each node's process (replaced when it is restarted) and settings. */
    private final List<ServiceProcess> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Map<String, String>> nodeSettings = new ArrayList<>();
    private final List<LocalBalancer> balancers = new ArrayList<>();
    /** One client for every liveness probe (a client holds threads and connections of its own). */
    private final HttpClient probes = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final java.util.concurrent.ScheduledExecutorService liveness =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "aeon-dev-liveness");
                thread.setDaemon(true);
                return thread;
            });

    DevPlatform(Path home, Path dataDir, DevPorts ports) {
        this.home = home;
        this.dataDir = dataDir;
        this.ports = ports;
    }

    /** The data plane keeps no visibility records (list and count answer UNIMPLEMENTED): to measure their cost. */
    DevPlatform withoutVisibility() {
        visibility = false;
        return this;
    }

    /** Runs {@code count} data-plane nodes behind the usual addresses instead of one. */
    DevPlatform withDataPlaneNodes(int count) {
        dataPlaneNodes = count;
        return this;
    }

    void start(boolean fresh) {
        checkMemory();
        checkPorts();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "aeon-dev-stop"));
        if (fresh) {
            wipe(dataDir);
        }
        Path logs = dataDir.resolve("logs");
        createDirectories(logs);

        say("starting Cassandra (CQL on 127.0.0.1:%d) ...", ports.cql());
        cassandra = CassandraServer.start(new CassandraServer.Settings(dataDir.resolve("cassandra"), ports.cql(),
                ports.cassandraStorage(), "1G", Duration.ofMinutes(3)));
        say("starting PostgreSQL (127.0.0.1:%d) ...", ports.postgres());
        postgres = PostgresServer.start(new PostgresServer.Settings(dataDir.resolve("postgres"), ports.postgres(),
                "aeon"));

        say("starting data plane%s, control plane and codec server ...",
                dataPlaneNodes == 1 ? "" : " (" + dataPlaneNodes + " nodes)");
        String internalToken = RandomSecretFile.of(dataDir.resolve("internal.token"));
        String controlPlaneUrl = "http://127.0.0.1:" + ports.controlPlane();
        // The console is served by the control plane, so its origin is the control plane's: the data plane's HTTP
        // API and the codec server allow it (CORS), and the control plane tells the console where they are.
        String consoleOrigin = controlPlaneUrl;
        // The same page opened as localhost is another origin to a browser: allow both.
        String browserOrigins = consoleOrigin + ",http://localhost:" + ports.controlPlane();
        Map<String, String> dataPlane = withPostgres(Map.ofEntries(
                Map.entry("aeon.cassandra.contact-points", "127.0.0.1:" + ports.cql()),
                Map.entry("aeon.cassandra.local-datacenter", cassandra.localDatacenter()),
                Map.entry("aeon.internal.token", internalToken),
                Map.entry("aeon.auth.control-plane-url", controlPlaneUrl),
                Map.entry("aeon.console.origin", consoleOrigin),
                Map.entry("aeon.data-plane.http.cors.allowed-origins", browserOrigins),
                // SDKs on this machine connect without TLS; API keys are still required.
                Map.entry("aeon.tls.plaintext-allowed", "true"),
                // One node on a small machine: 4 shards let transitions of different workflows share a commit (a
                // group commit is per shard) where 16 leave them alone (docs/benchmarks.md). A data directory made
                // with another count keeps it: the keyspace records its count.
                Map.entry("aeon.data-plane.history.shards",
                        System.getenv().getOrDefault("AEON_DATA_PLANE_HISTORY_SHARDS", "4")),
                // Lists and counts of workflows, kept in the dev PostgreSQL; page tokens outlive a restart.
                Map.entry("aeon.data-plane.visibility.enabled", String.valueOf(visibility)),
                Map.entry("aeon.data-plane.visibility.page-token-key",
                        RandomSecretFile.of(dataDir.resolve("visibility-page-tokens.key")))));
        if (dataPlaneNodes == 1) {
            services.add(ServiceProcess.start("data-plane", appJar("data-plane"), "1g",
                    dataPlaneNode(dataPlane, ports.frontend(), ports.dataPlaneHttp(), null), ports.dataPlaneHttp(), logs));
        } else {
            startDataPlaneNodes(dataPlane, logs);
        }
        // First start: the local account, its owner's API key (into a file, read into dev.env) and a namespace.
        services.add(ServiceProcess.start("control-plane", appJar("control-plane"), "512m", withPostgres(Map.ofEntries(
                Map.entry("aeon.control-plane.port", String.valueOf(ports.controlPlane())),
                Map.entry("aeon.internal.token", internalToken),
                Map.entry("aeon.control-plane.signing-keys.encryption-key",
                        RandomSecretFile.of(dataDir.resolve("signing-keys.key"))),
                Map.entry("aeon.control-plane.data-plane-url", "http://127.0.0.1:" + ports.dataPlaneHttp()),
                Map.entry("aeon.control-plane.bootstrap.account-id", DevEnvironment.ACCOUNT),
                Map.entry("aeon.control-plane.bootstrap.api-key-file", apiKeyFile().toString()),
                Map.entry("aeon.control-plane.bootstrap.namespace", DevEnvironment.NAMESPACE_NAME),
                Map.entry("aeon.control-plane.namespace.grpc-address", "127.0.0.1:" + ports.frontend()),
                Map.entry("aeon.console.origin", consoleOrigin),
                Map.entry("aeon.console.http-api-url", "http://127.0.0.1:" + ports.dataPlaneHttp()),
                Map.entry("aeon.console.codec-url", "http://127.0.0.1:" + ports.codec()))), ports.controlPlane(), logs));
        // The codec server keeps tenants' data keys in PostgreSQL, wrapped by a master key made once per data dir.
        services.add(ServiceProcess.start("codec-server", appJar("codec-server"), "256m", withPostgres(Map.of(
                "aeon.codec.port", String.valueOf(ports.codec()),
                "aeon.internal.token", internalToken,
                "aeon.auth.control-plane-url", controlPlaneUrl,
                "aeon.console.origin", consoleOrigin,
                "aeon.codec.cors.allowed-origins", browserOrigins,
                "aeon.codec.master-key-file", dataDir.resolve("codec-master.key").toString(),
                "aeon.codec.master-key-generate", "true")), ports.codec(), logs));
        for (ServiceProcess service : services) {
            service.awaitReady(READY_TIMEOUT);
            superviseOf(service);
        }
        for (int node = 0; node < nodes.size(); node++) {
            nodes.get(node).awaitReady(READY_TIMEOUT);
            superviseNode(node, logs);
        }

        awaitBootstrapNamespace(internalToken);
        DevEnvironment env = DevEnvironment.of(ports, dataDir, readApiKey());
        env.writeTo(dataDir.resolve("dev.env"));
        System.out.println();
        System.out.println(env.banner(dataDir.resolve("dev.env")));
    }

    void awaitShutdown() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (!services.isEmpty() || cassandra != null) {
            say("stopping ...");
        }
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop();
        }
        liveness.shutdownNow();
        balancers.forEach(LocalBalancer::close);
        nodes.forEach(ServiceProcess::stop);
        if (postgres != null) {
            postgres.close();
        }
        if (cassandra != null) {
            cassandra.close();
        }
        stopped.countDown();
    }

    private void superviseOf(ServiceProcess service) {
        service.process().onExit().thenRun(() -> {
            if (!stopping) {
                System.err.printf("%naeon dev: %s exited unexpectedly (code %d). Last lines of %s:%n%s%n",
                        service.name(), service.process().exitValue(), service.log(), LogTail.of(service.log(), 30));
                System.exit(1);
            }
        });
    }

    /** One data-plane node's settings: the common ones, its ports and, in a cluster, its name and address. */
    private static Map<String, String> dataPlaneNode(Map<String, String> common, int grpcPort, int httpPort,
                                                     String nodeId) {
        Map<String, String> settings = new HashMap<>(common);
        settings.put("aeon.data-plane.grpc-port", String.valueOf(grpcPort));
        settings.put("aeon.data-plane.http-port", String.valueOf(httpPort));
        if (nodeId != null) {
            settings.put("aeon.data-plane.history.node-id", nodeId);
            settings.put("aeon.data-plane.cluster.advertise-address", "127.0.0.1:" + grpcPort);
            settings.put("aeon.data-plane.cluster.advertise-http-address", "127.0.0.1:" + httpPort);
        }
        return settings;
    }

    /**
     * Several data-plane nodes, each on ports of its own, behind the platform's usual addresses (7233 and the data
     * plane's HTTP port): a balancer in this process stands in for a Kubernetes Service. A node that dies is
     * started again, as Kubernetes would; the others serve meanwhile.
     */
    private void startDataPlaneNodes(Map<String, String> common, Path logs) {
        List<LocalBalancer.Node> grpc = new ArrayList<>();
        List<LocalBalancer.Node> http = new ArrayList<>();
        for (int node = 0; node < dataPlaneNodes; node++) {
            String name = "data-plane-" + (node + 1);
            int grpcPort = ports.dataPlaneNodeGrpc(node);
            int httpPort = ports.dataPlaneNodeHttp(node);
            nodeSettings.add(dataPlaneNode(common, grpcPort, httpPort, name));
            nodes.add(ServiceProcess.start(name, appJar("data-plane"), "1g", nodeSettings.get(node), httpPort, logs));
            grpc.add(new LocalBalancer.Node(name, grpcPort, httpPort));
            http.add(new LocalBalancer.Node(name, httpPort, httpPort));
        }
        liveness.scheduleWithFixedDelay(this::probeLiveness, 2, 2, java.util.concurrent.TimeUnit.SECONDS);
        balancers.add(LocalBalancer.start("data plane gRPC", ports.frontend(), grpc));
        balancers.add(LocalBalancer.start("data plane HTTP", ports.dataPlaneHttp(), http));
    }

    /**
     * As Kubernetes' liveness probe would: a node that reports itself not live (it retired: replaced while paused or
     * cut off) is stopped, and so started again by {@link #superviseNode}.
     */
    private void probeLiveness() {
        for (int node = 0; node < nodes.size(); node++) {
            ServiceProcess running = nodes.get(node);
            HttpRequest live = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.dataPlaneNodeHttp(node)
                    + "/q/health/live")).timeout(Duration.ofSeconds(2)).build();
            try {
                if (running.process().isAlive()
                        && probes.send(live, HttpResponse.BodyHandlers.discarding()).statusCode() == 503) {
                    say("%s reports itself not live; restarting it", running.name());
                    running.process().destroy();
                }
            } catch (IOException notAnswering) {
                // starting, stopping or paused: only an explicit "not live" counts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void superviseNode(int node, Path logs) {
        ServiceProcess running = nodes.get(node);
        running.process().onExit().thenRun(() -> {
            synchronized (this) {
                if (stopping) {
                    return;
                }
                say("%s exited (code %d); starting it again (log: %s)", running.name(), running.process().exitValue(),
                        running.log());
                nodes.set(node, ServiceProcess.start(running.name(), appJar("data-plane"), "1g",
                        nodeSettings.get(node), ports.dataPlaneNodeHttp(node), logs));
            }
            superviseNode(node, logs);
        });
    }

    /** A service's settings plus where the dev PostgreSQL is. */
    private Map<String, String> withPostgres(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("aeon.postgres.port", String.valueOf(postgres.port()));
        all.put("aeon.postgres.database", postgres.database());
        all.put("aeon.postgres.username", PostgresServer.USER);
        return all;
    }

    private Path apiKeyFile() {
        return dataDir.resolve("api-key");
    }

    private String readApiKey() {
        try {
            return Files.readString(apiKeyFile()).trim();
        } catch (IOException e) {
            throw new StartFailure("the control plane did not write the bootstrap API key to " + apiKeyFile()
                    + " (" + e.getMessage() + "); if the data directory predates it, start once with --fresh");
        }
    }

    /** dev.env promises a usable namespace: wait until the control plane has provisioned it on the data plane. */
    private void awaitBootstrapNamespace(String internalToken) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.dataPlaneHttp()
                        + "/internal/v1/namespaces/" + DevEnvironment.NAMESPACE))
                .header(InternalToken.HEADER, internalToken).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
                Thread.sleep(250);
            } catch (IOException e) {
                // not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartFailure("interrupted while waiting for namespace " + DevEnvironment.NAMESPACE);
            }
        }
        throw new StartFailure("namespace " + DevEnvironment.NAMESPACE + " was not provisioned on the data plane "
                + "within " + READY_TIMEOUT.toSeconds() + " s; see " + dataDir.resolve("logs/control-plane.log"));
    }

    private Path appJar(String module) {
        return home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private void checkPorts() {
        List<String> taken = new ArrayList<>();
        ports.byUse(dataPlaneNodes).forEach((port, use) -> {
            if (Ports.inUse(port)) {
                taken.add("port " + port + " (" + use + ") is already in use"
                        + Ports.holder(port).map(h -> " by " + h).orElse(""));
            }
        });
        if (!taken.isEmpty()) {
            throw new StartFailure(String.join("\n", taken)
                    + "\nStop that process (is another `./aeon dev` running?) and try again.");
        }
    }

    private static void checkMemory() {
        long available = MemoryInfo.availableBytes();
        if (available >= 0 && available < MIN_AVAILABLE_BYTES) {
            throw new StartFailure(String.format("not enough memory: %.1f GiB available, the platform needs about "
                    + "%.0f GiB (Cassandra, PostgreSQL and three service JVMs)", available / 1073741824.0,
                    MIN_AVAILABLE_BYTES / 1073741824.0));
        }
    }

    private static void wipe(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        say("--fresh: wiping %s", dir);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void say(String format, Object... args) {
        System.out.println("aeon: " + String.format(format, args));
    }
}
