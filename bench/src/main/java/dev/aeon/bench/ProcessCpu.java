package dev.aeon.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the machine's CPU goes during a measured window, by component: each process of the platform (the
 * launcher's process tree, as {@code ./aeon dev} starts it) is put in a component by its command line, and its CPU
 * time read from the OS at the window's start and end. The benchmark runs on the same machine as the platform, so
 * its own SDK client and workers are a component too. Everything else on the box (other builds, other servers) is
 * one figure, "outside", reported but not in the total: on a shared machine it tells how noisy the window was.
 */
final class ProcessCpu {

    /** Components and how their processes' command lines name them, first match wins. */
    private static final List<Map.Entry<String, String>> COMPONENTS = List.of(
            Map.entry("launcher", "dev.aeon.launcher"),
            Map.entry("data-plane", "data-plane"),
            Map.entry("control-plane", "control-plane"),
            Map.entry("codec-server", "codec-server"),
            Map.entry("cassandra", "cassandra"),
            Map.entry("postgresql", "postgres"),
            Map.entry("temporal-server", "temporal"));
    private static final String OUTSIDE = "outside";

    private final Map<Long, Sample> start;

    private record Sample(String component, long cpuNanos) {
    }

    private ProcessCpu(Map<Long, Sample> start) {
        this.start = start;
    }

    /** Reads every process's CPU time now. */
    static ProcessCpu sample() {
        return new ProcessCpu(readAll());
    }

    /**
     * CPU milliseconds each component used since {@link #sample()}, per unit of work ({@code units} workflows),
     * largest first, then the total. Processes that started inside the window count from zero.
     */
    Map<String, Double> millisPer(long units) {
        Map<Long, Sample> end = readAll();
        Map<String, Long> nanos = new LinkedHashMap<>();
        end.forEach((pid, sample) -> {
            Sample before = start.get(pid);
            long used = sample.cpuNanos() - (before == null ? 0 : before.cpuNanos());
            nanos.merge(sample.component(), Math.max(0, used), Long::sum);
        });
        Map<String, Double> perUnit = new LinkedHashMap<>();
        nanos.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> perUnit.put(e.getKey(), e.getValue() / 1e6 / Math.max(1, units)));
        Double outside = perUnit.remove(OUTSIDE);
        perUnit.put("total", nanos.entrySet().stream().filter(e -> !e.getKey().equals(OUTSIDE))
                .mapToLong(Map.Entry::getValue).sum() / 1e6 / Math.max(1, units));
        if (outside != null) {
            perUnit.put(OUTSIDE, outside);
        }
        return perUnit;
    }

    private static Map<Long, Sample> readAll() {
        Map<Long, Sample> samples = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        // The launcher's tree, and servers that detach from it but name the platform's data directory (PostgreSQL's
        // postmaster, whose backends are its children).
        String dataDir = System.getProperty("aeon.bench.data-dir", "\0");
        java.util.Set<Long> platform = new java.util.HashSet<>();
        ProcessHandle.allProcesses()
                .filter(process -> commandLine(process).contains("dev.aeon.launcher")
                        || commandLine(process).contains(dataDir))
                .forEach(root -> {
                    platform.add(root.pid());
                    root.descendants().forEach(child -> platform.add(child.pid()));
                });
        ProcessHandle.allProcesses().forEach(process -> {
            Optional<Duration> cpu = process.info().totalCpuDuration();
            if (cpu.isEmpty()) {
                return;
            }
            String component = process.pid() == self ? "benchmark"
                    : platform.contains(process.pid()) ? component(commandLine(process)) : OUTSIDE;
            samples.put(process.pid(), new Sample(component, cpu.get().toNanos()));
        });
        return samples;
    }

    private static String commandLine(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        return info.commandLine().orElseGet(() -> info.command().orElse(""));
    }

    private static String component(String commandLine) {
        for (Map.Entry<String, String> component : COMPONENTS) {
            if (commandLine.contains(component.getValue())) {
                return component.getKey();
            }
        }
        return "other";
    }
}
