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

    private final Process process;
    private final Map<String, String> env;
    private final Path log;

    private RunningPlatform(Process process, Map<String, String> env, Path log) {
        this.process = process;
        this.env = env;
        this.log = log;
    }

    static RunningPlatform start() throws IOException, InterruptedException {
        Path home = Path.of("..").toAbsolutePath().normalize();
        Path launcher = home.resolve("launcher/target");
        String classpath = launcher.resolve("classes") + ":" + Files.readString(launcher.resolve("classpath.txt")).trim();
        Path dataDir = Path.of("target/e2e-platform").toAbsolutePath();
        wipe(dataDir);
        Files.createDirectories(dataDir);
        Path log = Path.of("target/e2e-platform.log").toAbsolutePath();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daeon.home=" + home, "-cp", classpath, "dev.aeon.launcher.AeonCli", "dev", "--data-dir",
                dataDir.toString())
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
        return new RunningPlatform(process, parse(envFile), log);
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

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM: the launcher stops the services, then the stores
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    Path log() {
        return log;
    }

    private static void wipe(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
