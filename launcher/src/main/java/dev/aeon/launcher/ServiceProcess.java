package dev.aeon.launcher;

import dev.aeon.embedded.LogTail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One Aeon service (a Quarkus application) running as a child JVM, its output in its own log file. */
final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path log;
    private final URI readiness;
    private final Process process;

    private ServiceProcess(String name, Path log, URI readiness, Process process) {
        this.name = name;
        this.log = log;
        this.readiness = readiness;
        this.process = process;
    }

    /**
     * @param jar        the application's quarkus-run.jar
     * @param heap       -Xmx value
     * @param properties the service's configuration, handed over in its environment
     * @param httpPort   where /q/health/ready answers
     */
    static ServiceProcess start(String name, Path jar, String heap, Map<String, String> properties, int httpPort,
                                Path logDir) {
        if (!Files.exists(jar)) {
            throw new DevPlatform.StartFailure(name + " is not built (" + jar + " is missing): run ./mvnw package");
        }
        Path log = logDir.resolve(name + ".log");
        try {
            Process process = processBuilder(jar, heap, properties)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ServiceProcess(name, log, URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"),
                    process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /**
     * The command line carries no configuration: any user of the machine can read a process's arguments ({@code ps}),
     * only its owner its environment, and the configuration holds the internal token. MicroProfile Config reads
     * {@code aeon.internal.token} from {@code AEON_INTERNAL_TOKEN}.
     */
    static ProcessBuilder processBuilder(Path jar, String heap, Map<String, String> properties) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseG1GC");
        command.add("-Daeon.parent-pid=" + ProcessHandle.current().pid());
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        properties.forEach((key, value) -> builder.environment().put(environmentName(key), value));
        return builder;
    }

    /** MicroProfile Config's environment name of a property: {@code aeon.data-plane.http-port} → {@code AEON_DATA_PLANE_HTTP_PORT}. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    Process process() {
        return process;
    }

    /** Waits for the service's readiness endpoint to answer 200. */
    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest request = HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new DevPlatform.StartFailure(name + " exited with code " + process.exitValue()
                        + " while starting. Last lines of " + log + ":\n" + LogTail.of(log, 30));
            }
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevPlatform.StartFailure("interrupted while waiting for " + name);
            }
            sleep(250);
        }
        throw new DevPlatform.StartFailure(name + " was not ready within " + timeout.toSeconds() + " s ("
                + readiness + "). Last lines of " + log + ":\n" + LogTail.of(log, 30));
    }

    void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
