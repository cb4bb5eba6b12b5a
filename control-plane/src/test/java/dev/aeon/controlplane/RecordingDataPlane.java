package dev.aeon.controlplane;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

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

/**
 * A stand-in for the data plane's internal HTTP API, started for the test boot: it records every call (method, path,
 * internal token, body) to namespaces and Nexus endpoints and answers 200, except for namespaces whose name starts
 * with {@code reject-}, which get 400 (a definite rejection), and namespaces or endpoint ids in an outage, which get 503
 * until it ends ({@code PUT} / {@code DELETE /_test/outages/{namespace or endpoint id}}). Tests read the record at {@code GET /_test/calls} as JSON lines. Also configures the
 * boot: internal token, fast retries, and a bootstrap account.
 */
public class RecordingDataPlane implements QuarkusTestResourceLifecycleManager {

    public static final String INTERNAL_TOKEN = "test-internal-token";
    public static final String BOOTSTRAP_ACCOUNT = "acme";

    private HttpServer server;
    private final List<String> calls = new ArrayList<>();
    private final Set<String> outages = ConcurrentHashMap.newKeySet();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/internal/v1/namespaces/", this::namespace);
            server.createContext("/internal/v1/nexus-endpoints/", this::namespace);
            server.createContext("/_test/calls", this::record);
            server.createContext("/_test/outages/", this::outage);
            server.start();
            Path keyFile = Files.createTempDirectory("aeon-cp-test").resolve("bootstrap.key");
            return Map.of(
                    "aeon.control-plane.data-plane-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "aeon.internal.token", INTERNAL_TOKEN,
                    "aeon.control-plane.provisioning.backoff", "50ms",
                    "aeon.control-plane.provisioning.max-backoff", "100ms",
                    "aeon.control-plane.bootstrap.account-id", BOOTSTRAP_ACCOUNT,
                    "aeon.control-plane.bootstrap.owner-email", "owner@acme.test",
                    "aeon.control-plane.bootstrap.api-key-file", keyFile.toString(),
                    "aeon.control-plane.bootstrap.namespace", "bootstrap");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void namespace(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        String token = exchange.getRequestHeaders().getFirst("X-Aeon-Internal-Token");
        synchronized (calls) {
            calls.add("{\"method\":\"" + exchange.getRequestMethod() + "\",\"path\":\"" + path + "\",\"token\":\""
                    + token + "\",\"body\":" + (body.isEmpty() ? "null" : body) + "}");
        }
        String namespace = path.substring(path.lastIndexOf('/') + 1); // a namespace, or a Nexus endpoint's id
        if (outages.contains(namespace)) {
            respond(exchange, 503, "{\"error\":\"cell unavailable\"}");
        } else if (namespace.startsWith("reject-")) {
            respond(exchange, 400, "{\"error\":\"retentionDays: exceeds this cell's limit\"}");
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

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
