package dev.aeon.controlplane;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A stand-in for the data plane's internal HTTP API, started for the test boot: it records every call (method, path,
 * internal token, body, and whether another call on the same path was still being answered when it arrived:
 * {@code overlapping}) to namespaces and Nexus endpoints and answers 200, except for namespaces whose name starts
 * with {@code reject-}, which get 400 (a definite rejection), and namespaces or endpoint ids in an outage, which get 503
 * until it ends ({@code PUT} / {@code DELETE /_test/outages/{namespace or endpoint id}}); namespaces whose name starts
 * with {@code slow-} are answered after {@value #SLOW_MILLIS} ms, so that calls racing on them would overlap.
 * Schedule calls get answers of the data plane's shapes (see {@link #schedule}). Tests read the record at
 * {@code GET /_test/calls} as JSON lines.
 * Also configures the
 * boot: internal token, fast retries, and a bootstrap account.
 */
public class RecordingDataPlane implements QuarkusTestResourceLifecycleManager {

    public static final String INTERNAL_TOKEN = "test-internal-token";
    public static final String BOOTSTRAP_ACCOUNT = "acme";

    static final long SLOW_MILLIS = 100;

    private HttpServer server;
    private final List<String> calls = new ArrayList<>();
    /** Calls being answered, per path. */
    private final Map<String, AtomicInteger> answering = new ConcurrentHashMap<>();
    private final Set<String> outages = ConcurrentHashMap.newKeySet();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/internal/v1/namespaces/", this::namespace);
            server.createContext("/internal/v1/nexus-endpoints/", this::namespace);
            server.createContext("/_test/calls", this::record);
            server.createContext("/_test/outages/", this::outage);
            server.setExecutor(Executors.newCachedThreadPool()); // answers calls at once, as the data plane does
            server.start();
            Path keyFile = Files.createTempDirectory("aeon-cp-test").resolve("bootstrap.key");
            return Map.of(
                    "aeon.control-plane.data-plane-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "aeon.internal.token", INTERNAL_TOKEN,
                    "aeon.control-plane.provisioning.backoff", "50ms",
                    "aeon.control-plane.provisioning.max-backoff", "100ms",
                    // The boot's runners take up only what they are handed (and what is unclaimed at boot): tests
                    // write operations straight into the store and expect them to stay as written. ReplicasTest runs
                    // replicas of its own that poll.
                    "aeon.control-plane.provisioning.poll-interval", "1h",
                    "aeon.control-plane.bootstrap.account-id", BOOTSTRAP_ACCOUNT,
                    "aeon.control-plane.bootstrap.owner-email", "owner@acme.test",
                    "aeon.control-plane.bootstrap.api-key-file", keyFile.toString(),
                    "aeon.control-plane.bootstrap.namespace", "bootstrap");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void namespace(HttpExchange exchange) throws IOException {
        AtomicInteger onPath = answering.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new AtomicInteger());
        boolean overlapping = onPath.incrementAndGet() > 1;
        try {
            answer(exchange, overlapping);
        } finally {
            onPath.decrementAndGet();
        }
    }

    private void answer(HttpExchange exchange, boolean overlapping) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        String token = exchange.getRequestHeaders().getFirst("X-Aeon-Internal-Token");
        String query = exchange.getRequestURI().getRawQuery();
        synchronized (calls) {
            calls.add("{\"method\":\"" + exchange.getRequestMethod() + "\",\"path\":\"" + path + "\",\"token\":\""
                    + token + "\",\"query\":" + (query == null ? "null" : "\"" + query.replace("\\", "\\\\")
                    .replace("\"", "\\\"") + "\"") + ",\"overlapping\":" + overlapping
                    + ",\"body\":" + (body.isEmpty() ? "null" : body) + "}");
        }
        String rest = path.startsWith("/internal/v1/namespaces/")
                ? path.substring("/internal/v1/namespaces/".length()) : "";
        String namespace = path.substring(path.lastIndexOf('/') + 1); // a namespace, or a Nexus endpoint's id
        if (rest.contains("/")) {
            int slash = rest.indexOf('/');
            schedule(exchange, rest.substring(0, slash), rest.substring(slash));
        } else if (outages.contains(namespace)) {
            respond(exchange, 503, "{\"error\":\"cell unavailable\"}");
        } else if (namespace.startsWith("reject-")) {
            respond(exchange, 400, "{\"error\":\"retentionDays: exceeds this cell's limit\"}");
        } else if (namespace.startsWith("slow-")) {
            try {
                Thread.sleep(SLOW_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "{}");
        } else {
            respond(exchange, 200, "{}");
        }
    }

    /**
     * A schedule RPC ({@code /schedules/...}, {@code /schedule-count}): the data plane's answers in its shapes, a
     * refusal for schedule ids starting {@code missing-} (404) or {@code taken-} (409), 503 in an outage.
     */
    private void schedule(HttpExchange exchange, String namespace, String rest) throws IOException {
        String scheduleId = rest.startsWith("/schedules/") ? rest.split("/")[2] : "";
        if (outages.contains(namespace)) {
            respond(exchange, 503, "{\"code\":\"UNAVAILABLE\",\"message\":\"cell unavailable\"}");
        } else if (scheduleId.startsWith("missing-")) {
            respond(exchange, 404, "{\"code\":\"NOT_FOUND\",\"message\":\"schedule not found\"}");
        } else if (scheduleId.startsWith("taken-")) {
            respond(exchange, 409, "{\"code\":\"ALREADY_EXISTS\",\"message\":\"schedule \\\"" + scheduleId
                    + "\\\" is already registered\"}");
        } else if (exchange.getRequestMethod().equals("POST") && rest.equals("/schedules/" + scheduleId)) {
            respond(exchange, 200, "{\"conflictToken\":\"AAAAAAAAAAE=\"}");
        } else if (exchange.getRequestMethod().equals("GET") && rest.equals("/schedules/" + scheduleId)) {
            respond(exchange, 200, "{\"schedule\":{\"state\":{\"notes\":\"held by the data plane\"}},"
                    + "\"conflictToken\":\"AAAAAAAAAAE=\"}");
        } else {
            respond(exchange, 200, "{}");
        }
    }

    private void outage(HttpExchange exchange) throws IOException {
        String namespace = exchange.getRequestURI().getPath().substring("/_test/outages/".length());
        if (exchange.getRequestMethod().equals("PUT")) {
            outages.add(namespace);
        } else {
            outages.remove(namespace);
        }
        respond(exchange, 200, "{}");
    }

    private void record(HttpExchange exchange) throws IOException {
        String json;
        synchronized (calls) {
            json = "[" + String.join(",", calls) + "]";
        }
        respond(exchange, 200, json);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** What the tests' control plane sent here with this method to this path, oldest first. */
    static List<Map<String, Object>> calls(String method, String path) {
        String url = ConfigProvider.getConfig().getValue("aeon.control-plane.data-plane-url", String.class);
        List<Map<String, Object>> all = given().baseUri(url).get("/_test/calls").then().statusCode(200).extract()
                .jsonPath().getList("$");
        return all.stream().filter(c -> method.equals(c.get("method")) && path.equals(c.get("path"))).toList();
    }

    /** The latest of those calls; fails the test when none reached the data plane. */
    static Map<String, Object> lastCall(String method, String path) {
        List<Map<String, Object>> calls = calls(method, path);
        assertFalse(calls.isEmpty(), "no " + method + " " + path + " reached the data plane");
        return calls.get(calls.size() - 1);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
