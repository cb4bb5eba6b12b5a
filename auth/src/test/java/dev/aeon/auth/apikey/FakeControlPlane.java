package dev.aeon.auth.apikey;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.aeon.auth.Access;
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
 * A real HTTP server standing in for the control plane: publishes its signing keys at /.well-known/jwks.json and
 * answers the access endpoint from a map the test edits; signs API keys the way the contract says.
 */
final class FakeControlPlane implements AutoCloseable {

    static final String ISSUER = "https://aeon.local/control-plane";
    static final String INTERNAL_TOKEN = "internal-secret";

    private final HttpServer server;
    private final List<RsaJsonWebKey> published = new CopyOnWriteArrayList<>();
    private final Map<String, Access> access = new ConcurrentHashMap<>();
    final AtomicInteger jwksFetches = new AtomicInteger();
    final AtomicInteger accessFetches = new AtomicInteger();

    FakeControlPlane() throws IOException {
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
            Access answer = access.get(keyId);
            if (answer == null) {
                respond(exchange, 404, "{\"error\":\"not found\"}");
            } else {
                respond(exchange, 200, answer.toJson());
            }
        });
        server.start();
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A new RSA signing key, published in the JWKS. */
    RsaJsonWebKey newSigningKey(String kid) throws JoseException {
        RsaJsonWebKey key = unpublishedKey(kid);
        published.add(key);
        return key;
    }

    /** A key with an id of its own choosing that the JWKS does not list (a forger's key). */
    static RsaJsonWebKey unpublishedKey(String kid) throws JoseException {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId(kid);
        key.setUse("sig");
        key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        return key;
    }

    void putAccess(Access answer) {
        access.put(answer.keyId(), answer);
    }

    void removeAccess(String keyId) {
        access.remove(keyId);
    }

    static String sign(RsaJsonWebKey key, String keyId, String account, String issuer, Instant expiresAt)
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
