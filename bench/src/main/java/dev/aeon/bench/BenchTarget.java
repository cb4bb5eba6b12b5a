package dev.aeon.bench;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The server a benchmark drives and what it can read from it: Aeon (API key, Prometheus metrics of the data
 * plane) or any other Temporal frontend such as the real Temporal server (no key, no metrics: an empty
 * {@code --api-key} or {@code --metrics-url} means none).
 */
final class BenchTarget {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final String address;
    final String namespace;
    private final String apiKey;
    private final String metricsUrl;

    private BenchTarget(String address, String namespace, String apiKey, String metricsUrl) {
        this.address = address;
        this.namespace = namespace;
        this.apiKey = apiKey;
        this.metricsUrl = metricsUrl;
    }

    static BenchTarget of(Map<String, String> options) {
        return new BenchTarget(options.getOrDefault("address", "127.0.0.1:7233"),
                options.getOrDefault("namespace", "default.local"),
                options.getOrDefault("api-key", ""),
                options.getOrDefault("metrics-url", "http://127.0.0.1:7241/q/metrics"));
    }

    WorkflowServiceStubs connect() {
        return connect(null);
    }

    /** {@link #connect()}, with the client's deadline for a call ({@code rpcTimeout}; null: the SDK's 10 s). */
    WorkflowServiceStubs connect(Duration rpcTimeout) {
        WorkflowServiceStubsOptions.Builder stubs = WorkflowServiceStubsOptions.newBuilder().setTarget(address);
        if (rpcTimeout != null) {
            stubs.setRpcTimeout(rpcTimeout);
        }
        if (!apiKey.isEmpty()) {
            stubs.addApiKey(() -> apiKey).setEnableHttps(false); // ./aeon dev: plaintext, API keys required
        }
        return WorkflowServiceStubs.newServiceStubs(stubs.build());
    }

    WorkflowClient client(WorkflowServiceStubs service) {
        return WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    }

    boolean hasMetrics() {
        return !metricsUrl.isEmpty();
    }

    /** Sum of a Prometheus metric's samples whose line contains {@code labelFilter}; empty without metrics. */
    OptionalDouble metric(String name, String labelFilter) throws IOException, InterruptedException {
        if (!hasMetrics()) {
            return OptionalDouble.empty();
        }
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double total = 0;
        for (String line : body.split("\n")) {
            if ((line.startsWith(name + " ") || line.startsWith(name + "{")) && line.contains(labelFilter)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return OptionalDouble.of(total);
    }

    OptionalDouble metric(String name) throws IOException, InterruptedException {
        return metric(name, "");
    }

    OptionalDouble heapBytes() throws IOException, InterruptedException {
        return metric("jvm_memory_used_bytes", "area=\"heap\"");
    }

    /** {@code --name value} pairs; a later pair overrides an earlier one (bench/run puts its defaults first). */
    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("arguments are --name value pairs; '" + args[i]
                        + "' " + (i + 1 >= args.length ? "has no value" : "does not start with --"));
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    /** The p-quantile (nearest rank) of sorted nanosecond samples, in milliseconds. */
    static long percentileMillis(List<Long> sortedNanos, double p) {
        if (sortedNanos.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sortedNanos.size() - 1, Math.ceil(p * sortedNanos.size()) - 1);
        return sortedNanos.get(Math.max(0, index)) / 1_000_000;
    }
}
