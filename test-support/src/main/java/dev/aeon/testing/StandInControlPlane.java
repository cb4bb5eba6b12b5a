package dev.aeon.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for the control plane, for modules that verify API keys without running it
 * (the e2e module runs the real one): publishes its signing keys at /.well-known/jwks.json and
 * answers the access endpoint from a map the test edits; signs API keys the way the contract says.
 */
public final class StandInControlPlane implements AutoCloseable {

    public static final String ISSUER = "https://aeon.local/control-plane";
    public static final String INTERNAL_TOKEN = "internal-secret";

    private final HttpServer server;
    private final List<RsaJsonWebKey> published = new CopyOnWriteArrayList<>();
    private final Map<String, String> access = new ConcurrentHashMap<>();
    public final AtomicInteger jwksFetches = new AtomicInteger();
    public final AtomicInteger accessFetches = new AtomicInteger();

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
        server.start();
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
