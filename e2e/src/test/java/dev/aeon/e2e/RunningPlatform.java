package dev.aeon.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The platform as a new user starts it: the launcher's {@code dev} command (what {@code ./aeon dev} runs once the
 * build is there) in its own process with a fresh data directory, ready when it has written {@code dev.env}.
 */
final class RunningPlatform implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    /**
     * Ports beside the defaults, so these tests run while a developer's `./aeon dev` holds 7233. Every shifted port
     * (the highest is CQL, 19042 + offset) stays below Linux's ephemeral range (32768 and up): there the outgoing
     * connections of the test JVMs that ran before this one take ports at random and hold them for a while, and
     * once one held 37000 when this offset was 20000. {@code -Daeon.e2e.port-offset} (or {@code AEON_E2E_PORT_OFFSET})
     * moves it, so that two runs on one machine do not collide.
     */
    static final int PORT_OFFSET = Integer.parseInt(System.getProperty("aeon.e2e.port-offset",
            System.getenv().getOrDefault("AEON_E2E_PORT_OFFSET", "10000")));

    private final Process process;
    private final Map<String, String> env;
    private final Path log;
    private final Path home;
    private final java.util.List<Process> extraNodes = new java.util.ArrayList<>();

    private RunningPlatform(Process process, Map<String, String> env, Path log, Path home) {
        this.process = process;
        this.env = env;
        this.log = log;
        this.home = home;
    }

    static RunningPlatform start() throws IOException, InterruptedException {
        return start(new String[0]);
    }

    /** The same with more options of {@code aeon dev}, e.g. {@code --data-plane-nodes 3}. */
    static RunningPlatform start(String... devOptions) throws IOException, InterruptedException {
        Path home = Path.of("..").toAbsolutePath().normalize();
        Path launcher = home.resolve("launcher/target");
        String classpath = launcher.resolve("classes") + ":" + Files.readString(launcher.resolve("classpath.txt")).trim();
        Path dataDir = Path.of("target/e2e-platform").toAbsolutePath();
        wipe(dataDir);
        Files.createDirectories(dataDir);
        Path log = Path.of("target/e2e-platform.log").toAbsolutePath();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daeon.home=" + home, "-cp", classpath, "dev.aeon.launcher.AeonCli", "dev", "--data-dir",
                dataDir.toString(), "--port-offset", String.valueOf(PORT_OFFSET)));
        command.addAll(java.util.List.of(devOptions));
        Process process = new ProcessBuilder(command)
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path envFile = dataDir.resolve("dev.env");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(envFile)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the platform exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the platform was not ready within " + START_TIMEOUT + ":\n"
                        + Files.readString(log));
            }
            Thread.sleep(500);
        }
        return new RunningPlatform(process, parse(envFile), log, home);
    }

    /** A variable of {@code dev.env}, as {@code . .aeon/dev.env} would set it. */
    String env(String name) {
        String value = env.get(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not in dev.env: " + env.keySet());
        }
        return value;
    }

    private static Map<String, String> parse(Path envFile) throws IOException {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String line : Files.readAllLines(envFile)) {
            if (line.startsWith("export ")) {
                int eq = line.indexOf('=');
                String value = line.substring(eq + 1);
                if (value.startsWith("'") && value.endsWith("'")) {
                    value = value.substring(1, value.length() - 1).replace("'\\''", "'");
                }
                variables.put(line.substring(7, eq), value);
            }
        }
        return variables;
    }

    /**
     * Another data-plane process on the same Cassandra and control plane, as a second node would run; returns its
     * gRPC address once it is ready. It joins the first node's cluster and forwards its calls to the leader, which
     * authenticates them (docs/ARCHITECTURE.md, "Nodes").
     */
    String startAnotherDataPlane() throws IOException, InterruptedException {
        int grpc = freePort();
        int http = freePort();
        Path dataDir = Path.of(env("AEON_DATA_DIR"));
        Process node = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Daeon.data-plane.grpc-port=" + grpc,
                "-Daeon.data-plane.http-port=" + http,
                "-Daeon.cassandra.contact-points=" + env("AEON_CASSANDRA_CONTACT_POINT"),
                "-Daeon.internal.token=" + Files.readString(dataDir.resolve("internal.token")).trim(),
                "-Daeon.auth.control-plane-url=" + env("AEON_CONTROL_PLANE_URL"),
                "-Daeon.tls.plaintext-allowed=true",
                // Visibility as the first node keeps it: the same records and page tokens.
                "-Daeon.data-plane.visibility.enabled=true",
                "-Daeon.data-plane.visibility.postgres.jdbc-url=jdbc:" + env("AEON_POSTGRES_URL"),
                "-Daeon.data-plane.visibility.postgres.username=postgres",
                "-Daeon.data-plane.visibility.page-token-key="
                        + Files.readString(dataDir.resolve("visibility-page-tokens.key")).trim(),
                "-jar", home.resolve("data-plane/target/quarkus-app/quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(Path.of("target/e2e-second-data-plane.log").toFile())
                .start();
        extraNodes.add(node);
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest ready = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + http + "/q/health/ready")).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(ready, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return "127.0.0.1:" + grpc;
                }
            } catch (IOException notYet) {
                // starting
            }
            if (!node.isAlive()) {
                break;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the second data plane did not get ready; see target/e2e-second-data-plane.log");
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        for (Process node : extraNodes) {
            node.destroy();
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        process.destroy(); // SIGTERM: the launcher stops the services, then the stores
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Runs a command of the launcher ({@code ./aeon ...}) to its end, e.g. {@code certs ca}; fails on a non-zero exit. */
    static String aeon(String... args) throws IOException, InterruptedException {
        Path home = Path.of("..").toAbsolutePath().normalize();
        Path launcher = home.resolve("launcher/target");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Daeon.home=" + home, "-cp",
                launcher.resolve("classes") + ":" + Files.readString(launcher.resolve("classpath.txt")).trim(),
                "dev.aeon.launcher.AeonCli"));
        command.addAll(java.util.List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("aeon " + String.join(" ", args) + " failed:\n" + output);
        }
        return output;
    }

    Path log() {
        return log;
    }

    /** Whether Go is installed here (the Go SDK checks are skipped, saying so, when it is not). */
    static boolean goInstalled() {
        try {
            return new ProcessBuilder("go", "version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Builds e2e/go-worker (the Go SDK's checks) and runs it against this platform with dev.env's address, namespace
     * and API key, as a user following the README would, plus {@code extraEnv}; its exit code and output (also in
     * target/go-worker-{build,run}.log).
     */
    GoRun runGoWorker(Map<String, String> extraEnv, Duration timeout) throws IOException, InterruptedException {
        Path source = Path.of("go-worker").toAbsolutePath();
        Path binary = Path.of("target/go-worker").toAbsolutePath();
        Path buildLog = Path.of("target/go-worker-build.log").toAbsolutePath();
        Process build = new ProcessBuilder("go", "build", "-o", binary.toString(), ".").directory(source.toFile())
                .redirectErrorStream(true).redirectOutput(buildLog.toFile()).start();
        if (!build.waitFor(5, TimeUnit.MINUTES) || build.exitValue() != 0) {
            build.destroyForcibly();
            throw new IllegalStateException("go build of e2e/go-worker failed:\n" + Files.readString(buildLog));
        }
        Path runLog = Path.of("target/go-worker-run.log").toAbsolutePath();
        ProcessBuilder run = new ProcessBuilder(binary.toString()).directory(source.toFile()).redirectErrorStream(true)
                .redirectOutput(runLog.toFile());
        for (String name : java.util.List.of("AEON_ADDRESS", "AEON_NAMESPACE", "AEON_API_KEY")) {
            run.environment().put(name, env(name));
        }
        run.environment().putAll(extraEnv);
        Process worker = run.start();
        if (!worker.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            worker.destroyForcibly().waitFor();
            throw new AssertionError("the Go worker did not finish within " + timeout + ":\n" + Files.readString(runLog));
        }
        return new GoRun(worker.exitValue(), Files.readString(runLog));
    }

    record GoRun(int exitCode, String output) {
    }

    private static void wipe(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
