package dev.aeon.bench;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an open, idle workflow costs the data plane's heap, and proof that none of them is forgotten. Opens
 * {@code --workflows} workflows that each wait on a timer of {@code --timer} (one day) or a signal, waits until
 * the data plane is quiet, forces a full GC in the data plane's JVM ({@code jcmd <pid> GC.run}) and reports its
 * used heap minus a baseline taken the same way before, per open workflow. Then it signals every workflow (the
 * "shortened timer") and requires every one to complete. Run with bench/memory.
 */
public final class IdleWorkflowsBenchmark {

    @WorkflowInterface
    public interface Idle {
        @WorkflowMethod
        String run(Duration timer);

        @SignalMethod
        void release();
    }

    /** Counts first executions (not replays) so the benchmark knows every workflow has asked for its timer. */
    static final AtomicInteger FIRST_EXECUTIONS = new AtomicInteger();

    public static class IdleImpl implements Idle {
        private boolean released;

        @Override
        public String run(Duration timer) {
            if (!Workflow.isReplaying()) {
                FIRST_EXECUTIONS.incrementAndGet();
            }
            Workflow.await(timer, () -> released);
            return released ? "released" : "timer fired";
        }

        @Override
        public void release() {
            released = true;
        }
    }

    public static void main(String[] args) {
        try {
            System.exit(run(BenchTarget.parse(args)) ? 0 : 1);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(2); // the SDK's worker threads would keep the JVM alive
        }
    }

    /** @return whether every workflow opened and completed */
    private static boolean run(Map<String, String> options) throws Exception {
        BenchTarget target = BenchTarget.of(options);
        int workflows = Integer.parseInt(options.getOrDefault("workflows", "100000"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "32"));
        Duration timer = Duration.parse(options.getOrDefault("timer", "P1D"));
        String pid = options.get("data-plane-pid");
        if (pid == null || !pid.matches("\\d+")) {
            throw new IllegalArgumentException("--data-plane-pid is required (the data plane JVM's process id, for jcmd);"
                    + " was " + pid);
        }
        if (!target.hasMetrics()) {
            throw new IllegalArgumentException("--metrics-url is required: the benchmark waits for the data plane's"
                    + " aeon_history_transitions_total to stop moving before it measures");
        }
        String taskQueue = "idle-" + UUID.randomUUID();
        String idPrefix = taskQueue + "-";

        WorkflowServiceStubs service = target.connect();
        WorkflowClient client = target.client(service);
        WorkerFactory factory = WorkerFactory.newInstance(client);
        Worker worker = factory.newWorker(taskQueue);
        worker.registerWorkflowImplementationTypes(IdleImpl.class);
        factory.start();

        System.out.printf("memory benchmark: %d workflows waiting on a %s timer or a signal, %d concurrent callers,"
                + " against %s (data plane pid %s)%n", workflows, timer, concurrency, target.address, pid);
        long baseline = heapAfterFullGc(pid);
        System.out.printf("baseline heap after full GC:   %.1f MiB%n", baseline / 1048576.0);

        List<Long> startLatencies = Collections.synchronizedList(new ArrayList<>());
        long openedAt = System.nanoTime();
        long startFailures = forEach("opened", workflows, concurrency, i -> {
            long began = System.nanoTime();
            client.newUntypedWorkflowStub("Idle", WorkflowOptions.newBuilder().setTaskQueue(taskQueue)
                    .setWorkflowId(idPrefix + i).build()).start(timer);
            startLatencies.add(System.nanoTime() - began);
            return true;
        });
        double openSeconds = (System.nanoTime() - openedAt) / 1e9;
        awaitFirstExecutions(workflows - (int) startFailures);
        awaitQuiet(target);
        long open = heapAfterFullGc(pid);
        OptionalDouble reportedHeap = target.heapBytes();
        int opened = workflows - (int) startFailures;
        double perWorkflow = (double) (open - baseline) / Math.max(1, opened);
        List<Long> sortedStarts = new ArrayList<>(startLatencies);
        Collections.sort(sortedStarts);
        System.out.printf("opened:                        %d in %.0f s = %.0f workflows/s, StartWorkflowExecution"
                        + " p50 %d ms, p99 %d ms, %d failed%n", opened, openSeconds, opened / openSeconds,
                BenchTarget.percentileMillis(sortedStarts, 0.5), BenchTarget.percentileMillis(sortedStarts, 0.99),
                startFailures);
        System.out.printf("heap after full GC, all open:  %.1f MiB (/q/metrics: %.1f MiB)%n", open / 1048576.0,
                reportedHeap.orElse(Double.NaN) / 1048576);
        System.out.printf("heap per open workflow:        %.0f bytes%n", perWorkflow);

        // The "shortened timer": a signal ends each wait now; every workflow must then complete.
        long releasedAt = System.nanoTime();
        long signalFailures = forEach("signalled", opened, concurrency, i -> {
            client.newUntypedWorkflowStub(idPrefix + i).signal("release");
            return true;
        });
        long notCompleted = forEach("completed", opened, concurrency, i -> {
            try {
                return "released".equals(client.newUntypedWorkflowStub(idPrefix + i)
                        .getResult(5, TimeUnit.MINUTES, String.class));
            } catch (TimeoutException e) {
                return false;
            }
        });
        double releaseSeconds = (System.nanoTime() - releasedAt) / 1e9;
        System.out.printf("released and completed:        %d of %d in %.0f s (%d signals failed)%n",
                opened - notCompleted, opened, releaseSeconds, signalFailures);
        System.out.printf(Locale.ROOT, "result workflows=%d heap_per_workflow_bytes=%.0f baseline_mib=%.1f open_mib=%.1f"
                        + " completed=%d failed_starts=%d%n", opened, perWorkflow, baseline / 1048576.0,
                open / 1048576.0, opened - notCompleted, startFailures);
        factory.shutdownNow();
        service.shutdownNow();
        return notCompleted == 0 && startFailures == 0;
    }

    /** Work that throws or answers false counts as failed; the first few failures are printed. */
    private interface Step {
        boolean run(int index) throws Exception;
    }

    /** Runs {@code step} for 0..count-1 on {@code concurrency} threads, printing progress; returns the failures. */
    private static long forEach(String done, int count, int concurrency, Step step) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong succeeded = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(concurrency);
        for (int t = 0; t < concurrency; t++) {
            threads.execute(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    try {
                        if (step.run(i)) {
                            succeeded.incrementAndGet();
                            continue;
                        }
                    } catch (Exception e) {
                        if (failed.get() < 5) {
                            System.out.printf("  %s #%d failed: %s%n", done, i, e);
                        }
                    }
                    failed.incrementAndGet();
                }
            });
        }
        threads.shutdown();
        long began = System.nanoTime();
        while (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
            System.out.printf("  %s %d of %d after %.0f s%n", done, succeeded.get(), count,
                    (System.nanoTime() - began) / 1e9);
        }
        return failed.get();
    }

    /** Waits until every workflow has run its first workflow task; gives up only when no more do for 2 minutes. */
    private static void awaitFirstExecutions(int expected) throws InterruptedException {
        long began = System.nanoTime();
        long lastProgress = began;
        long lastReport = began;
        int seen = FIRST_EXECUTIONS.get();
        while (seen < expected) {
            Thread.sleep(500);
            int now = FIRST_EXECUTIONS.get();
            long at = System.nanoTime();
            if (now > seen) {
                lastProgress = at;
            } else if (at - lastProgress > Duration.ofMinutes(2).toNanos()) {
                throw new IllegalStateException("only " + now + " of " + expected + " workflows ran their first"
                        + " workflow task, and none more in the last 2 minutes");
            }
            if (at - lastReport > Duration.ofSeconds(10).toNanos()) {
                System.out.printf("  waiting on their timer %d of %d after %.0f s%n", now, expected, (at - began) / 1e9);
                lastReport = at;
            }
            seen = now;
        }
    }

    /** Waits until the data plane has committed no transition for 5 s: every timer is written, nothing in flight. */
    private static void awaitQuiet(BenchTarget target) throws IOException, InterruptedException {
        double last = target.metric("aeon_history_transitions_total").orElseThrow();
        int quietSeconds = 0;
        while (quietSeconds < 5) {
            Thread.sleep(1000);
            double now = target.metric("aeon_history_transitions_total").orElseThrow();
            quietSeconds = now == last ? quietSeconds + 1 : 0;
            last = now;
        }
    }

    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

    /** The data plane's used heap right after two full collections (the second also frees what finalizers let go). */
    static long heapAfterFullGc(String pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("no 'heap total ...K, used ...K' line in jcmd " + pid + " GC.heap_info:\n"
                    + info);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    private static String jcmd(String pid, String command) throws IOException, InterruptedException {
        // The JDK running this benchmark, like the data plane's (./aeon dev starts it with the launcher's java).
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(Files.exists(jcmd) ? jcmd.toString() : "jcmd", pid, command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n" + output);
        }
        return output;
    }
}
