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

/**
 * A stand-in for the data plane's internal HTTP API, started for the test boot: it records every call (method, path,
 * internal token, body) and answers 200, except for namespaces whose name starts with {@code fail-}, which always
 * get 503. Tests read the record at {@code GET /_test/calls} as JSON lines. Also configures the boot: internal token,
 * fast retries, and a bootstrap account.
 */
public class RecordingDataPlane implements QuarkusTestResourceLifecycleManager {

    public static final String INTERNAL_TOKEN = "test-internal-token";
    public static final String BOOTSTRAP_ACCOUNT = "acme";

    private HttpServer server;
    private final List<String> calls = new ArrayList<>();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/internal/v1/namespaces/", this::namespace);
            server.createContext("/_test/calls", this::record);
            server.start();
            Path keyFile = Files.createTempDirectory("aeon-cp-test").resolve("bootstrap.key");
            return Map.of(
                    "aeon.data-plane.internal-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "aeon.internal.token", INTERNAL_TOKEN,
                    "aeon.data-plane.provision-attempts", "3",
                    "aeon.data-plane.provision-backoff", "50ms",
                    "aeon.data-plane.provision-max-backoff", "100ms",
                    "aeon.bootstrap.account-id", BOOTSTRAP_ACCOUNT,
                    "aeon.bootstrap.owner-email", "owner@acme.test",
                    "aeon.bootstrap.api-key-file", keyFile.toString(),
                    "aeon.bootstrap.namespace", "bootstrap");
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
        String namespace = path.substring("/internal/v1/namespaces/".length());
        respond(exchange, namespace.startsWith("fail-") ? 503 : 200,
                namespace.startsWith("fail-") ? "{\"error\":\"cell unavailable\"}" : "{}");
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
