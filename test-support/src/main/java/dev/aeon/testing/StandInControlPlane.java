package dev.aeon.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for the control plane, for modules that verify API keys without running it
 * (the e2e module runs the real one): publishes its signing keys at /.well-known/jwks.json and
 * answers the access endpoint from a map the test edits; signs API keys the way the contract says; takes search
 * attributes added on the data plane and provisions them back to it.
 */
public final class StandInControlPlane implements AutoCloseable {

    public static final String ISSUER = "https://aeon.local/control-plane";
    public static final String INTERNAL_TOKEN = "internal-secret";

    private final HttpServer server;
    private final List<RsaJsonWebKey> published = new CopyOnWriteArrayList<>();
    private final Map<String, String> access = new ConcurrentHashMap<>();
    public final AtomicInteger jwksFetches = new AtomicInteger();
    public final AtomicInteger accessFetches = new AtomicInteger();
    /** The bodies of {@code POST /internal/v1/namespaces/{ns}/search-attributes}, in order. */
    public final List<String> searchAttributeRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger operations = new AtomicInteger();
    private volatile URI dataPlane;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public StandInControlPlane() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            jwksFetches.incrementAndGet();
            String body = new JsonWebKeySet(List.<JsonWebKey>copyOf(published))
                    .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            respond(exchange, 200, body);
        });
        server.createContext("/internal/v1/api-keys/", exchange -> {
            accessFetches.incrementAndGet();
            if (!INTERNAL_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Aeon-Internal-Token"))) {
                respond(exchange, 401, "{\"error\":\"internal token\"}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String keyId = path.substring("/internal/v1/api-keys/".length(), path.length() - "/access".length());
            String answer = access.get(keyId);
            if (answer == null) {
                respond(exchange, 404, "{\"error\":\"not found\"}");
            } else {
                respond(exchange, 200, answer);
            }
        });
        server.createContext("/internal/v1/namespaces/", this::searchAttributes);
        server.createContext("/internal/v1/nexus-endpoints", this::nexusEndpoints);
        server.start();
    }

    /**
     * {@code POST /internal/v1/namespaces/{ns}/search-attributes} as the control plane answers it: the change is
     * recorded ({@link #searchAttributeRequests}), answered with an operation id, and provisioned back to the data
     * plane set with {@link #provisionsTo} a moment later, as the control plane's async operation does.
     */
    private void searchAttributes(HttpExchange exchange) throws IOException {
        if (!INTERNAL_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Aeon-Internal-Token"))) {
            respond(exchange, 401, "{\"code\":\"UNAUTHENTICATED\",\"message\":\"internal token\"}");
            return;
        }
        String path = exchange.getRequestURI().getPath();
        String namespace = path.substring("/internal/v1/namespaces/".length(), path.lastIndexOf('/'));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        searchAttributeRequests.add(body);
        Map<String, Object> added;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> add = (Map<String, Object>) JsonUtil.parseJson(body).get("add");
            added = add;
        } catch (JoseException e) {
            respond(exchange, 400, "{\"code\":\"INVALID_ARGUMENT\",\"message\":\"body\",\"field\":\"add\"}");
            return;
        }
        String operation = "op-" + operations.incrementAndGet();
        CompletableFuture.runAsync(() -> provisionBack(namespace, added),
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)).exceptionally(failed -> {
                    // Nobody waits on this future: say why the data plane will not see the change.
                    System.err.println("stand-in control plane: the change did not reach the data plane");
                    failed.printStackTrace();
                    return null;
                });
        respond(exchange, 200, "{\"namespace\":\"" + namespace + "\",\"asyncOperationId\":\"" + operation + "\"}");
    }

    private void provisionBack(String namespace, Map<String, Object> added) {
        URI target = dataPlane.resolve("/internal/v1/namespaces/" + namespace);
        try {
            HttpResponse<String> current = HTTP.send(HttpRequest.newBuilder(target)
                    .header("X-Aeon-Internal-Token", INTERNAL_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
            // A copy: jose4j's own maps refuse a second put of a name.
            Map<String, Object> settings = new java.util.LinkedHashMap<>(JsonUtil.parseJson(current.body()));
            @SuppressWarnings("unchecked")
            Map<String, Object> attributes = new java.util.TreeMap<>((Map<String, Object>) settings.get("searchAttributes"));
            attributes.putAll(added);
            settings.put("searchAttributes", attributes);
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(target)
                            .header("X-Aeon-Internal-Token", INTERNAL_TOKEN).header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(JsonUtil.toJson(settings))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (put.statusCode() != 200) {
                throw new IllegalStateException("the data plane answered " + put.statusCode() + ": " + put.body());
            }
        } catch (Exception e) {
            throw new IllegalStateException("provisioning " + namespace + " back failed", e);
        }
    }

    /**
     * OperatorService's Nexus endpoint changes as the control plane takes them ({@code POST /internal/v1/nexus-endpoints},
     * {@code PUT .../{id}}, {@code POST .../{id}/delete}): answered with the endpoint id and an operation id, and
     * provisioned back to the data plane a moment later (an update keeps the endpoint's allowed callers).
     */
    private void nexusEndpoints(HttpExchange exchange) throws IOException {
        if (!INTERNAL_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Aeon-Internal-Token"))) {
            respond(exchange, 401, "{\"code\":\"UNAUTHENTICATED\",\"message\":\"internal token\"}");
            return;
        }
        String path = exchange.getRequestURI().getPath();
        String rest = path.substring("/internal/v1/nexus-endpoints".length()).replaceFirst("^/", "");
        boolean delete = rest.endsWith("/delete");
        String id = rest.isEmpty() ? java.util.UUID.randomUUID().toString().replace("-", "")
                : rest.replaceFirst("/delete$", "");
        Map<String, Object> request;
        try {
            request = JsonUtil.parseJson(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        } catch (JoseException e) {
            respond(exchange, 400, "{\"code\":\"INVALID_ARGUMENT\",\"message\":\"body\"}");
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) request.get("spec");
        @SuppressWarnings("unchecked")
        String account = (String) ((Map<String, Object>) request.get("requestedBy")).get("accountId");
        CompletableFuture.runAsync(() -> endpointBack(id, delete ? null : spec, account),
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)).exceptionally(failed -> {
                    System.err.println("stand-in control plane: the endpoint change did not reach the data plane");
                    failed.printStackTrace();
                    return null;
                });
        respond(exchange, 200, "{\"endpointId\":\"" + id + "\",\"asyncOperationId\":\"op-"
                + operations.incrementAndGet() + "\"}");
    }

    private void endpointBack(String id, Map<String, Object> spec, String account) {
        URI target = dataPlane.resolve("/internal/v1/nexus-endpoints/" + id);
        try {
            if (spec == null) {
                HTTP.send(HttpRequest.newBuilder(target).header("X-Aeon-Internal-Token", INTERNAL_TOKEN).DELETE()
                        .build(), HttpResponse.BodyHandlers.ofString());
                return;
            }
            HttpResponse<String> current = HTTP.send(HttpRequest.newBuilder(target)
                    .header("X-Aeon-Internal-Token", INTERNAL_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
            Object callers = java.util.List.of();
            if (current.statusCode() == 200) {
                @SuppressWarnings("unchecked")
                Map<String, Object> stored = (Map<String, Object>) JsonUtil.parseJson(current.body()).get("spec");
                callers = stored.get("allowedCallerNamespaces");
            }
            Map<String, Object> provisioned = new java.util.LinkedHashMap<>(spec);
            provisioned.put("accountId", account);
            provisioned.put("allowedCallerNamespaces", callers);
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(target)
                            .header("X-Aeon-Internal-Token", INTERNAL_TOKEN).header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(JsonUtil.toJson(provisioned))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (put.statusCode() != 200) {
                throw new IllegalStateException("the data plane answered " + put.statusCode() + ": " + put.body());
            }
        } catch (Exception e) {
            throw new IllegalStateException("provisioning Nexus endpoint " + id + " back failed", e);
        }
    }

    /** Where changes to namespaces' search attributes are provisioned back to: the data plane's HTTP port. */
    public void provisionsTo(URI dataPlane) {
        this.dataPlane = dataPlane;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A new RSA signing key, published in the JWKS. */
    public RsaJsonWebKey newSigningKey(String kid) throws JoseException {
        RsaJsonWebKey key = unpublishedKey(kid);
        published.add(key);
        return key;
    }

    /** A key with an id of its own choosing that the JWKS does not list (a forger's key). */
    public static RsaJsonWebKey unpublishedKey(String kid) throws JoseException {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId(kid);
        key.setUse("sig");
        key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        return key;
    }

    /** What the access endpoint answers for the key: the contract's JSON (docs/internal-api.md). */
    public void putAccess(String keyId, String json) {
        access.put(keyId, json);
    }

    public void removeAccess(String keyId) {
        access.remove(keyId);
    }

    public static String sign(RsaJsonWebKey key, String keyId, String account, String issuer, Instant expiresAt)
            throws JoseException {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setJwtId(keyId);
        claims.setSubject("u-owner");
        claims.setClaim("aeon_owner_type", "user");
        claims.setClaim("aeon_account", account);
        claims.setIssuedAt(NumericDate.fromSeconds(expiresAt.getEpochSecond() - 86_400));
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
