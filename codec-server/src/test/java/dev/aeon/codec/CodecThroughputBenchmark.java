package dev.aeon.codec;

import com.google.protobuf.ByteString;
import dev.aeon.embedded.PostgresServer;
import dev.aeon.embedded.Ports;
import io.temporal.api.common.v1.Payload;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decode throughput of the codec server: closed loop, N concurrent clients each POSTing one {@code /decode} of
 * 1,000 encrypted payloads of 1 KiB (what the Web UI sends for a large history page) and waiting for the answer.
 * Not a JUnit test (the surefire pattern skips it); run with {@code codec-server/run-benchmark}, see
 * docs/benchmarks.md.
 *
 * <p>Without {@code --url} it starts its own PostgreSQL and the packaged codec server
 * ({@code codec-server/target/quarkus-app/quarkus-run.jar}, 256 MiB heap as {@code ./aeon dev} gives it).
 */
public final class CodecThroughputBenchmark {

    private record Options(String url, int concurrency, int durationSeconds, int warmupSeconds, int payloads,
                           int payloadBytes) {
    }

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        List<AutoCloseable> started = new ArrayList<>();
        try {
            String url = options.url() != null ? options.url() : startServer(started);
            run(url, options);
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
        }
    }

    private static void run(String url, Options options) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String namespace = "bench-" + System.currentTimeMillis();
        send(http, HttpRequest.newBuilder(URI.create(url + "/codec/keys/" + namespace))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), 201);

        SecureRandom random = new SecureRandom();
        List<Payload> plain = new ArrayList<>();
        for (int i = 0; i < options.payloads(); i++) {
            byte[] data = new byte[options.payloadBytes()];
            random.nextBytes(data);
            plain.add(Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("binary/plain"))
                    .setData(ByteString.copyFrom(data)).build());
        }
        String encrypted = send(http, codecRequest(url + "/encode", namespace, CodecApi.body(plain)), 200);
        String decrypted = send(http, codecRequest(url + "/decode", namespace, encrypted), 200);
        if (!CodecApi.payloads(decrypted).equals(plain)) {
            throw new IllegalStateException("decode did not return the original payloads");
        }
        System.out.printf("codec server %s, namespace %s: %d payloads of %d bytes per request, request body %.2f MiB,"
                        + " response %.2f MiB%n", url, namespace, options.payloads(), options.payloadBytes(),
                encrypted.length() / 1048576.0, decrypted.length() / 1048576.0);

        HttpRequest decode = codecRequest(url + "/decode", namespace, encrypted);
        System.out.printf("warm-up %d s, then %d s measured, %d concurrent clients%n", options.warmupSeconds(),
                options.durationSeconds(), options.concurrency());
        measure(http, decode, options.concurrency(), options.warmupSeconds());
        Result result = measure(http, decode, options.concurrency(), options.durationSeconds());
        long[] latencies = result.latenciesNanos();
        Arrays.sort(latencies);
        System.out.printf("decode requests/s %.1f (payloads/s %.0f), p50 %.1f ms, p95 %.1f ms, p99 %.1f ms,"
                        + " max %.1f ms, %d requests, %d errors%n",
                latencies.length / result.seconds(), latencies.length * options.payloads() / result.seconds(),
                percentile(latencies, 0.50), percentile(latencies, 0.95), percentile(latencies, 0.99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6, latencies.length,
                result.errors());
    }

    private record Result(long[] latenciesNanos, double seconds, long errors) {
    }

    private static Result measure(HttpClient http, HttpRequest request, int concurrency, int seconds)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<List<Long>> perThread = new ArrayList<>();
        long[] errors = new long[concurrency];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            List<Long> mine = new ArrayList<>();
            perThread.add(mine);
            int index = t;
            Thread thread = new Thread(() -> {
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() == 200) {
                            mine.add(System.nanoTime() - start);
                        } else {
                            errors[index]++;
                        }
                    } catch (IOException e) {
                        errors[index]++;
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "client-" + t);
            thread.start();
            threads.add(thread);
        }
        long begin = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        long[] all = perThread.stream().flatMap(List::stream).mapToLong(Long::longValue).toArray();
        return new Result(all, elapsed, Arrays.stream(errors).sum());
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }

    private static HttpRequest codecRequest(String uri, String namespace, String body) {
        return HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", "application/json")
                .header("X-Namespace", namespace)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }

    private static String send(HttpClient http, HttpRequest request, int expected) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    /** PostgreSQL and the packaged codec server, as child processes; returns the server's URL. */
    private static String startServer(List<AutoCloseable> started) throws Exception {
        Path jar = Path.of("codec-server/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run ./mvnw -pl codec-server -am"
                    + " install -DskipTests from the repository root");
        }
        Path dir = Path.of("codec-server/target/benchmark");
        Files.createDirectories(dir);
        PostgresServer postgres = PostgresServer.start(new PostgresServer.Settings(dir.resolve("postgres"),
                Ports.free(), "aeon"));
        started.add(postgres);

        int port = Ports.free();
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        Map<String, String> properties = Map.of(
                "aeon.codec.port", String.valueOf(port),
                "aeon.postgres.port", String.valueOf(postgres.port()),
                "aeon.postgres.database", postgres.database(),
                "aeon.postgres.username", PostgresServer.USER);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseG1GC"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("codec-server.log").toFile());
        // The master key goes through the environment, not the command line other users can read.
        builder.environment().put("AEON_CODEC_MASTER_KEY", Base64.getEncoder().encodeToString(masterKey));
        Process server = builder.start();
        started.add(() -> {
            server.destroy();
            server.waitFor();
        });

        String url = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (!server.isAlive()) {
                throw new IllegalStateException("codec server exited; see " + dir.resolve("codec-server.log"));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return url;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("codec server not ready after 60 s; see "
                        + dir.resolve("codec-server.log"));
            }
            Thread.sleep(200);
        }
    }

    private static Options parse(String[] args) {
        String url = null;
        int concurrency = 2;
        int duration = 30;
        int warmup = 10;
        int payloads = 1000;
        int bytes = 1024;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--url" -> url = value;
                case "--concurrency" -> concurrency = Integer.parseInt(value);
                case "--duration" -> duration = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--payloads" -> payloads = Integer.parseInt(value);
                case "--payload-bytes" -> bytes = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --url URL"
                        + " --concurrency N --duration S --warmup S --payloads N --payload-bytes N");
            }
            i++;
        }
        if (url != null) {
            Matcher m = Pattern.compile("/+$").matcher(url);
            url = m.replaceAll("");
        }
        return new Options(url, concurrency, duration, warmup, payloads, bytes);
    }
}
