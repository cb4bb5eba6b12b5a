package dev.aeon.bench;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.api.schedule.v1.IntervalSpec;
import io.temporal.api.schedule.v1.Schedule;
import io.temporal.api.schedule.v1.ScheduleAction;
import io.temporal.api.schedule.v1.ScheduleActionResult;
import io.temporal.api.schedule.v1.SchedulePolicies;
import io.temporal.api.schedule.v1.ScheduleSpec;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.NewWorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.CreateScheduleRequest;
import io.temporal.api.workflowservice.v1.DeleteScheduleRequest;
import io.temporal.api.workflowservice.v1.DescribeScheduleRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.serviceclient.WorkflowServiceStubs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Issue 15's benchmark: many schedules of a 1-minute interval in one namespace (10,000 by default) fire on time.
 * Lateness is each action's start (DescribeSchedule's actual time) minus its scheduled time, over the actions
 * scheduled in the measured minutes (after a warm-up minute that absorbs the creation burst).
 *
 * <p>Phases: {@code spread} (default) gives schedule i the phase i × 60 s / n, so the load is ~n/60 starts a
 * second, as schedules created over time fall; {@code aligned} fires all of them at the top of each minute, a
 * burst of n starts (reported, not a target on 2 cores). The action starts a workflow on a queue no worker polls
 * (ALLOW_ALL, so earlier runs never hold a start back): what is measured is the schedule's own work.
 *
 * <pre>bench/schedules [--schedules 10000] [--minutes 3] [--phases spread|aligned] [--concurrency 16]</pre>
 */
public final class ScheduleBenchmark {

    private ScheduleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchTarget.parse(args);
        BenchTarget target = BenchTarget.of(options);
        int count = Integer.parseInt(options.getOrDefault("schedules", "10000"));
        int minutes = Integer.parseInt(options.getOrDefault("minutes", "3"));
        boolean aligned = options.getOrDefault("phases", "spread").equals("aligned");
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "16"));
        String run = UUID.randomUUID().toString().substring(0, 6);

        // each call may wait a minute (the SDK's stubs cap a call at their rpc timeout, 10 s by default): an aligned
        // burst keeps the data plane busy, and reads wait behind it
        WorkflowServiceStubs service = target.connect(Duration.ofMinutes(1));
        java.util.function.Supplier<WorkflowServiceGrpc.WorkflowServiceBlockingStub> api = service::blockingStub;
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long createStart = System.nanoTime();
        List<Future<?>> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long phaseMillis = aligned ? 0 : i * 60_000L / count;
            String id = "bench-" + run + "-" + i;
            created.add(pool.submit(() -> api.get().createSchedule(CreateScheduleRequest.newBuilder()
                    .setNamespace(target.namespace).setScheduleId(id).setRequestId(UUID.randomUUID().toString())
                    .setSchedule(schedule(id, phaseMillis)).build())));
        }
        for (Future<?> f : created) {
            f.get();
        }
        double createSeconds = (System.nanoTime() - createStart) / 1e9;
        System.out.printf("created %d schedules in %.1f s (%.0f/s)%n", count, createSeconds, count / createSeconds);

        // Measure the whole minutes after the next one (the warm-up minute), then read every schedule's actions.
        Instant measureFrom = Instant.now().plus(Duration.ofMinutes(1)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        Instant measureTo = measureFrom.plus(Duration.ofMinutes(minutes));
        ProcessCpu cpu = null;
        while (Instant.now().isBefore(measureTo.plusSeconds(5))) {
            if (cpu == null && !Instant.now().isBefore(measureFrom)) {
                cpu = ProcessCpu.sample();
            }
            Thread.sleep(500);
        }
        Map<String, Double> cpuPerAction = cpu == null ? Map.of() : cpu.millisPer((long) count * minutes);

        List<Long> lateness = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> described = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "bench-" + run + "-" + i;
            described.add(pool.submit(() -> {
                for (ScheduleActionResult action : api.get().describeSchedule(DescribeScheduleRequest.newBuilder()
                        .setNamespace(target.namespace).setScheduleId(id).build()).getInfo().getRecentActionsList()) {
                    Instant scheduled = Instant.ofEpochMilli(Timestamps.toMillis(action.getScheduleTime()));
                    if (!scheduled.isBefore(measureFrom) && scheduled.isBefore(measureTo)) {
                        lateness.add((Timestamps.toMillis(action.getActualTime()) - scheduled.toEpochMilli()) * 1_000_000L);
                    }
                }
            }));
        }
        for (Future<?> f : described) {
            f.get();
        }
        List<Future<?>> deleted = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "bench-" + run + "-" + i;
            deleted.add(pool.submit(() -> api.get().deleteSchedule(DeleteScheduleRequest.newBuilder()
                    .setNamespace(target.namespace).setScheduleId(id).setIdentity("bench").build())));
        }
        for (Future<?> f : deleted) {
            f.get();
        }
        pool.shutdown();
        service.shutdownNow();

        List<Long> sorted = new ArrayList<>(lateness);
        Collections.sort(sorted);
        long expected = (long) count * minutes;
        System.out.printf("actions in %d measured minutes: %d of %d expected (%d missing)%n", minutes, sorted.size(),
                expected, expected - sorted.size());
        System.out.printf("lateness (start - scheduled): p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n",
                BenchTarget.percentileMillis(sorted, 0.50), BenchTarget.percentileMillis(sorted, 0.90),
                BenchTarget.percentileMillis(sorted, 0.99), BenchTarget.percentileMillis(sorted, 1.0));
        StringBuilder cpuLine = new StringBuilder();
        cpuPerAction.forEach((component, millis) -> cpuLine.append(String.format(Locale.ROOT, "%s%s %.2f ms",
                cpuLine.length() == 0 ? "" : ", ", component, millis)));
        System.out.printf("CPU per action: %s (%d cores)%n", cpuLine, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "result schedules=%d phases=%s actions=%d expected=%d p50_ms=%d p99_ms=%d max_ms=%d%n",
                count, aligned ? "aligned" : "spread", sorted.size(), expected, BenchTarget.percentileMillis(sorted, 0.50),
                BenchTarget.percentileMillis(sorted, 0.99), BenchTarget.percentileMillis(sorted, 1.0));
    }

    private static Schedule schedule(String id, long phaseMillis) {
        return Schedule.newBuilder()
                .setSpec(ScheduleSpec.newBuilder().addInterval(IntervalSpec.newBuilder()
                        .setInterval(Durations.fromMinutes(1)).setPhase(Durations.fromMillis(phaseMillis / 1000 * 1000))))
                .setAction(ScheduleAction.newBuilder().setStartWorkflow(NewWorkflowExecutionInfo.newBuilder()
                        .setWorkflowId(id).setWorkflowType(WorkflowType.newBuilder().setName("BenchTick"))
                        .setTaskQueue(TaskQueue.newBuilder().setName("bench-schedules-no-workers"))))
                .setPolicies(SchedulePolicies.newBuilder()
                        .setOverlapPolicy(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL))
                .build();
    }
}
