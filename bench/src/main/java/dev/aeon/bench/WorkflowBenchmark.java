package dev.aeon.bench;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load: {@code concurrency} starters each start a one-activity workflow, wait for its result and
 * start the next, for the warm-up and then the measured duration. Workers in the same process run the
 * workflows. Reports completed workflows/s, state transitions/s (from the data plane's own counter),
 * start-to-close latency percentiles and the data plane's heap.
 */
public final class WorkflowBenchmark {

    @WorkflowInterface
    public interface OneActivity {
        @WorkflowMethod
        String run(String input);
    }

    @ActivityInterface
    public interface Echo {
        String echo(String input);
    }

    public static class OneActivityImpl implements OneActivity {
        private final Echo echo = Workflow.newActivityStub(Echo.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

        @Override
        public String run(String input) {
            return echo.echo(input);
        }
    }

    public static class EchoImpl implements Echo {
        @Override
        public String echo(String input) {
            return input;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        String address = options.getOrDefault("address", "127.0.0.1:7233");
        String metricsUrl = options.getOrDefault("metrics-url", "http://127.0.0.1:7241/q/metrics");
        String namespace = options.getOrDefault("namespace", "default.local");
        String apiKey = options.get("api-key");
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "64"));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "10")));
        Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "60")));
        String taskQueue = "bench-" + UUID.randomUUID();

        WorkflowServiceStubsOptions.Builder stubs = WorkflowServiceStubsOptions.newBuilder().setTarget(address);
        if (apiKey != null) {
            stubs.addApiKey(() -> apiKey).setEnableHttps(false); // ./aeon dev: plaintext, API keys required
        }
        WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(stubs.build());
        WorkflowClient client = WorkflowClient.newInstance(service,
                WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
        WorkerFactory factory = WorkerFactory.newInstance(client);
        Worker worker = factory.newWorker(taskQueue, WorkerOptions.newBuilder()
                .setMaxConcurrentWorkflowTaskPollers(8)
                .setMaxConcurrentActivityTaskPollers(8)
                .build());
        worker.registerWorkflowImplementationTypes(OneActivityImpl.class);
        worker.registerActivitiesImplementations(new EchoImpl());
        factory.start();

        System.out.printf("benchmark: %d concurrent starters, %d s warm-up, %d s measured, against %s%n",
                concurrency, warmup.toSeconds(), duration.toSeconds(), address);
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong failures = new AtomicLong();
        double transitionsBefore = Double.NaN;
        ExecutorService starters = Executors.newFixedThreadPool(concurrency);
        for (int i = 0; i < concurrency; i++) {
            starters.execute(() -> {
                while (System.nanoTime() < end) {
                    long began = System.nanoTime();
                    try {
                        WorkflowStub stub = client.newUntypedWorkflowStub("OneActivity", WorkflowOptions.newBuilder()
                                .setTaskQueue(taskQueue).setWorkflowId("bench-" + UUID.randomUUID()).build());
                        stub.start("ping");
                        stub.getResult(String.class);
                        long finished = System.nanoTime();
                        if (began >= measureFrom && finished <= end) {
                            latencies.add(finished - began);
                        }
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }
            });
        }
        Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
        transitionsBefore = metric(metricsUrl, "aeon_history_transitions_total");
        long measuredStart = System.nanoTime();
        List<Double> heapSamples = new ArrayList<>();
        while (System.nanoTime() < end) {
            heapSamples.add(heapBytes(metricsUrl));
            Thread.sleep(1000);
        }
        double seconds = (System.nanoTime() - measuredStart) / 1e9;
        double transitionsAfter = metric(metricsUrl, "aeon_history_transitions_total");
        starters.shutdown();
        starters.awaitTermination(2, TimeUnit.MINUTES);
        factory.shutdownNow();
        service.shutdownNow();

        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("completed workflows:      %d in %.0f s = %.1f workflows/s%n", sorted.size(), seconds,
                sorted.size() / seconds);
        System.out.printf("state transitions:        %.0f/s (%.1f per workflow)%n",
                (transitionsAfter - transitionsBefore) / seconds,
                (transitionsAfter - transitionsBefore) / Math.max(1, sorted.size()));
        System.out.printf("start-to-close latency:   p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n",
                percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99), percentile(sorted, 1.0));
        Collections.sort(heapSamples);
        System.out.printf("data-plane heap used:     median %.0f MiB, max %.0f MiB%n",
                heapSamples.isEmpty() ? 0 : heapSamples.get(heapSamples.size() / 2) / 1048576,
                heapSamples.isEmpty() ? 0 : heapSamples.get(heapSamples.size() - 1) / 1048576);
        System.out.printf("failed workflows:         %d%n", failures.get());
        System.exit(0);
    }

    private static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1_000_000;
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String scrape(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Sum of a Prometheus metric's samples. */
    private static double metric(String url, String name) throws IOException, InterruptedException {
        double total = 0;
        for (String line : scrape(url).split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static double heapBytes(String url) throws IOException, InterruptedException {
        double total = 0;
        for (String line : scrape(url).split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }
}
