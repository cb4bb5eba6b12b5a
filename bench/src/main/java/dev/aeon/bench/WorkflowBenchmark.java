package dev.aeon.bench;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load: {@code concurrency} starters each start a one-activity workflow, wait for its result and
 * start the next, for the warm-up and then the measured duration. Workers in the same process run the
 * workflows. Reports completed workflows/s, state transitions/s (from the data plane's own counter),
 * start-to-close and StartWorkflowExecution latency percentiles and the data plane's heap. Runs against any
 * Temporal frontend (bench/compare-temporal drives the real Temporal server with it too).
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
        Map<String, String> options = BenchTarget.parse(args);
        BenchTarget target = BenchTarget.of(options);
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "64"));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "10")));
        Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "60")));
        String taskQueue = "bench-" + UUID.randomUUID();

        WorkflowServiceStubs service = target.connect();
        WorkflowClient client = target.client(service);
        WorkerFactory factory = WorkerFactory.newInstance(client);
        Worker worker = factory.newWorker(taskQueue, WorkerOptions.newBuilder()
                .setMaxConcurrentWorkflowTaskPollers(8)
                .setMaxConcurrentActivityTaskPollers(8)
                .build());
        worker.registerWorkflowImplementationTypes(OneActivityImpl.class);
        worker.registerActivitiesImplementations(new EchoImpl());
        factory.start();

        System.out.printf("benchmark: %d concurrent starters, %d s warm-up, %d s measured, against %s%n",
                concurrency, warmup.toSeconds(), duration.toSeconds(), target.address);
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        // StartWorkflowExecution as the SDK's caller sees it: request, server-side work, response.
        List<Long> startLatencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong failures = new AtomicLong();
        // Workflows that finished inside the window, whenever they started: what the window's CPU time bought.
        AtomicLong finishedInWindow = new AtomicLong();
        ExecutorService starters = Executors.newFixedThreadPool(concurrency);
        for (int i = 0; i < concurrency; i++) {
            starters.execute(() -> {
                while (System.nanoTime() < end) {
                    long began = System.nanoTime();
                    try {
                        WorkflowStub stub = client.newUntypedWorkflowStub("OneActivity", WorkflowOptions.newBuilder()
                                .setTaskQueue(taskQueue).setWorkflowId("bench-" + UUID.randomUUID()).build());
                        stub.start("ping");
                        long started = System.nanoTime();
                        stub.getResult(String.class);
                        long finished = System.nanoTime();
                        if (finished >= measureFrom && finished <= end) {
                            finishedInWindow.incrementAndGet();
                        }
                        if (began >= measureFrom && finished <= end) {
                            latencies.add(finished - began);
                        }
                        if (began >= measureFrom && started <= end) {
                            startLatencies.add(started - began);
                        }
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }
            });
        }
        Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
        OptionalDouble transitionsBefore = target.metric("aeon_history_transitions_total");
        long measuredStart = System.nanoTime();
        ProcessCpu cpu = ProcessCpu.sample();
        List<Double> heapSamples = new ArrayList<>();
        while (System.nanoTime() < end) {
            target.heapBytes().ifPresent(heapSamples::add);
            Thread.sleep(1000);
        }
        Map<String, Double> cpuPerWorkflow = cpu.millisPer(finishedInWindow.get());
        OptionalDouble transitionsAfter = target.metric("aeon_history_transitions_total");
        double scrapedSeconds = (System.nanoTime() - measuredStart) / 1e9;
        // Workflows count when they started and finished inside [measureFrom, end]: divide by that window.
        double seconds = duration.toNanos() / 1e9;
        starters.shutdown();
        starters.awaitTermination(2, TimeUnit.MINUTES);
        factory.shutdownNow();
        service.shutdownNow();

        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        List<Long> sortedStarts = new ArrayList<>(startLatencies);
        Collections.sort(sortedStarts);
        double workflowsPerSecond = sorted.size() / seconds;
        System.out.printf("completed workflows:      %d in %.0f s = %.1f workflows/s%n", sorted.size(), seconds,
                workflowsPerSecond);
        if (transitionsBefore.isPresent() && transitionsAfter.isPresent()) {
            double transitions = transitionsAfter.getAsDouble() - transitionsBefore.getAsDouble();
            System.out.printf("state transitions:        %.0f/s (%.1f per workflow)%n", transitions / scrapedSeconds,
                    transitions / scrapedSeconds / Math.max(1e-9, workflowsPerSecond));
        }
        System.out.printf("start-to-close latency:   p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n",
                BenchTarget.percentileMillis(sorted, 0.50), BenchTarget.percentileMillis(sorted, 0.95),
                BenchTarget.percentileMillis(sorted, 0.99), BenchTarget.percentileMillis(sorted, 1.0));
        System.out.printf("StartWorkflowExecution:   p50 %d ms, p95 %d ms, p99 %d ms, max %d ms (as the client sees it)%n",
                BenchTarget.percentileMillis(sortedStarts, 0.50), BenchTarget.percentileMillis(sortedStarts, 0.95),
                BenchTarget.percentileMillis(sortedStarts, 0.99), BenchTarget.percentileMillis(sortedStarts, 1.0));
        if (!heapSamples.isEmpty()) {
            Collections.sort(heapSamples);
            System.out.printf("data-plane heap used:     median %.0f MiB, max %.0f MiB%n",
                    heapSamples.get(heapSamples.size() / 2) / 1048576, heapSamples.get(heapSamples.size() - 1) / 1048576);
        }
        StringBuilder cpuLine = new StringBuilder();
        cpuPerWorkflow.forEach((component, millis) -> cpuLine.append(String.format(Locale.ROOT, "%s%s %.2f ms",
                cpuLine.length() == 0 ? "" : ", ", component, millis)));
        System.out.printf("CPU per workflow:         %s (%d cores)%n", cpuLine,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("failed workflows:         %d%n", failures.get());
        // One line for scripts (bench/compare-temporal): name=value, times in milliseconds.
        System.out.printf(Locale.ROOT, "result workflows_per_s=%.1f p50_ms=%d p95_ms=%d p99_ms=%d start_p99_ms=%d failed=%d%n",
                workflowsPerSecond, BenchTarget.percentileMillis(sorted, 0.50),
                BenchTarget.percentileMillis(sorted, 0.95), BenchTarget.percentileMillis(sorted, 0.99),
                BenchTarget.percentileMillis(sortedStarts, 0.99), failures.get());
        System.exit(0);
    }

}
