package dev.aeon.codec;

import dev.aeon.testing.StandInControlPlaneResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static dev.aeon.codec.CodecApi.body;
import static dev.aeon.codec.CodecApi.json;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The codec server against malformed input, with authentication on and an account owner's key: garbage,
 * truncated and mutated JSON, wrong types, oversize fields, bad base64, forged ciphertext, bad namespace names and
 * key ids, on {@code /encode}, {@code /decode}, the key API and the CORS API. No answer may be a 5xx; every refusal
 * is a 4xx with the documented {@code {"error", "cause"}} body, and the hand-picked cases name their field.
 * Mutations come from a fixed seed, so a failure reproduces.
 */
@QuarkusTest
@TestProfile(CodecAuthProfile.class)
class MalformedInputTest {

    private static final long SEED = 20261201L;
    private static final String ACCOUNT = "acme";
    private static final String OVERSIZE = "x".repeat(70_000);

    private final String namespace = "fuzz-" + UUID.randomUUID().toString().substring(0, 6) + "." + ACCOUNT;
    private String owner;

    @BeforeEach
    void ownerKey() {
        String keyId = "k-" + UUID.randomUUID();
        Instant expires = Instant.now().plus(1, ChronoUnit.DAYS);
        StandInControlPlaneResource.controlPlane().putAccess(keyId, """
                {"keyId":"%s","accountId":"%s","ownerId":"u-1","ownerType":"user","enabled":true,
                 "expiresAt":"%s","accountRole":"OWNER","namespacePermissions":{}}"""
                .formatted(keyId, ACCOUNT, expires));
        owner = StandInControlPlaneResource.sign(keyId, ACCOUNT, expires);
        as().post("/codec/keys/" + namespace).then().statusCode(201);
    }

    private RequestSpecification as() {
        return given().header("Authorization", "Bearer " + owner).contentType("application/json");
    }

    @Test
    void mutatedBodiesNeverFailTheServer() {
        Random random = new Random(SEED);
        String payloads = body(List.of(json("\"card 4242\""), json("{\"a\":[1,2]}")));
        String encrypted = as().header("X-Namespace", namespace).body(payloads).post("/encode").then()
                .statusCode(200).extract().asString();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            send("POST /encode", as().header("X-Namespace", namespace).body(mutate(payloads, random))
                    .post("/encode"), failures);
            send("POST /decode", as().header("X-Namespace", namespace).body(mutate(encrypted, random))
                    .post("/decode"), failures);
            send("POST keys", as().body(mutate("{\"keyId\":\"k1\",\"key\":\"" + base64(32) + "\"}", random))
                    .post("/codec/keys/" + namespace), failures);
            send("PUT cors", as().body(mutate("{\"allowedOrigins\":[\"https://ui.example.com:8080\"],"
                    + "\"allowCredentials\":true}", random)).put("/codec/cors/" + namespace), failures);
        }
        assertTrue(failures.isEmpty(), failures.size() + " server errors:\n" + String.join("\n", failures));
    }

    @Test
    void handPickedBadInputIsRefusedNamingTheField() {
        String ns = namespace;
        List<String> failures = new ArrayList<>();
        // payload bodies: wrong types, bad base64, oversize, forged ciphertext
        for (String bad : List.of("{", "{\"payloads\":", "[]", "null", "7", "\"x\"", "{\"payloads\":5}",
                "{\"payloads\":[5]}", "{\"payloads\":[{\"data\":5}]}", "{\"payloads\":[{\"data\":\"***\"}]}",
                "{\"payloads\":[{\"metadata\":{\"encoding\":7}}]}", "{\"payloads\":[{\"metadata\":[]}]}",
                "{\"payloads\":[{\"nope\":1}]}")) {
            refused("POST /encode " + abbreviate(bad), as().header("X-Namespace", ns).body(bad).post("/encode"),
                    400, "invalid-json", failures);
            refused("POST /decode " + abbreviate(bad), as().header("X-Namespace", ns).body(bad).post("/decode"),
                    400, "invalid-json", failures);
        }
        send("POST /encode oversize data", as().header("X-Namespace", ns)
                .body("{\"payloads\":[{\"data\":\"" + OVERSIZE + "=\"}]}").post("/encode"), failures);
        for (String metadata : List.of(
                "{\"encoding\":\"" + b64("binary/encrypted") + "\"}",
                "{\"encoding\":\"" + b64("binary/encrypted") + "\",\"encryption-key-id\":\"" + b64(OVERSIZE) + "\"}",
                "{\"encoding\":\"" + b64("binary/encrypted") + "\",\"encryption-key-id\":\"" + b64("\u0000") + "\"}",
                "{\"encoding\":\"" + b64("binary/encrypted") + "\",\"encryption-key-id\":\"" + b64("nope") + "\"}",
                "{\"encoding\":\"" + b64("binary/encrypted") + "\",\"encryption-key-id\":\"" + b64(currentKey(ns))
                        + "\",\"encryption-cipher\":\"" + b64("rot13") + "\"}")) {
            send("POST /decode forged metadata", as().header("X-Namespace", ns)
                    .body("{\"payloads\":[{\"metadata\":" + metadata + ",\"data\":\"" + base64(20) + "\"}]}")
                    .post("/decode"), failures);
        }
        for (int length : new int[] {0, 1, 12, 28, 29, 4096}) {
            send("POST /decode ciphertext of " + length + " bytes", as().header("X-Namespace", ns)
                    .body("{\"payloads\":[{\"metadata\":{\"encoding\":\"" + b64("binary/encrypted")
                            + "\",\"encryption-key-id\":\"" + b64(currentKey(ns)) + "\"},\"data\":\""
                            + base64(length) + "\"}]}").post("/decode"), failures);
        }
        // namespace names, in the header and in paths
        for (String name : List.of(OVERSIZE, "a b", "-x", ".", "..", "x/../y", "ünï.acme", "x%00y", "%2e%2e")) {
            send("X-Namespace " + abbreviate(name), () -> as().header("X-Namespace", name)
                    .body(body(List.of(json("1")))).post("/encode"), failures);
            send("keys path " + abbreviate(name), () -> as().get("/codec/keys/" + name), failures);
            send("cors path " + abbreviate(name), () -> as().body("{\"allowedOrigins\":[]}")
                    .put("/codec/cors/" + name), failures);
        }
        refused("X-Namespace of 256 characters", as().header("X-Namespace", "n".repeat(256))
                .body(body(List.of(json("1")))).post("/encode"), 400, "X-Namespace", failures);
        // key API: wrong types, bad base64, wrong length, oversize and odd key ids
        for (String bad : List.of("{\"keyId\":5}", "{\"key\":5}", "{\"keyId\":[]}", "{\"keyId\":\"k\",\"key\":\"!!!\"}",
                "{\"keyId\":\"k\",\"key\":\"" + base64(31) + "\"}", "{\"keyId\":\"" + OVERSIZE + "\"}",
                "{\"keyId\":\"a/b\"}", "{\"keyId\":\"\"}", "{\"extra\":1}", "[", "\u0000")) {
            send("POST keys " + abbreviate(bad), as().body(bad).post("/codec/keys/" + ns), failures);
        }
        refused("POST keys oversize keyId", as().body("{\"keyId\":\"" + OVERSIZE + "\"}").post("/codec/keys/" + ns),
                400, "keyId", failures);
        refused("POST keys key of 31 bytes", as().body("{\"keyId\":\"k31\",\"key\":\"" + base64(31) + "\"}")
                .post("/codec/keys/" + ns), 400, "key", failures);
        for (String keyId : List.of(OVERSIZE, "nope", "%00", "ünï", "..")) {
            // an oversize id makes a request line over the HTTP server's limit: it may refuse by closing the socket
            send("disable " + abbreviate(keyId), () -> as().post("/codec/keys/" + ns + "/" + keyId + "/disable"),
                    failures);
        }
        // CORS API: wrong types, bad origins, oversize
        for (String bad : List.of("{\"allowedOrigins\":\"x\"}", "{\"allowedOrigins\":[5]}", "{\"allowedOrigins\":[null]}",
                "{\"allowedOrigins\":[\"not an origin\"]}", "{\"allowedOrigins\":[\"https://a.com/path\"]}",
                "{\"allowedOrigins\":[\"*\"],\"allowCredentials\":true}", "{\"allowCredentials\":\"yes\"}",
                "{\"allowedOrigins\":[\"https://" + OVERSIZE + ".com\"]}", "{}", "{\"allowedOrigins\":{}}")) {
            send("PUT cors " + abbreviate(bad), as().body(bad).put("/codec/cors/" + ns), failures);
        }
        refused("PUT cors not an origin", as().body("{\"allowedOrigins\":[\"not an origin\"]}")
                .put("/codec/cors/" + ns), 400, "allowedOrigins", failures);
        // preflights with odd origins
        for (String origin : List.of("null", "*", "http://", OVERSIZE, "javascript:alert(1)", "https://a.com:99999")) {
            send("preflight " + abbreviate(origin), given().header("Origin", origin)
                    .header("Access-Control-Request-Method", "POST").options("/decode"), failures);
        }
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    private String currentKey(String ns) {
        return as().get("/codec/keys/" + ns).then().statusCode(200).extract().path("currentKeyId");
    }

    /**
     * Records a 5xx, or a 4xx without the documented error body. A URL or headers beyond the HTTP server's limits
     * are refused by the HTTP codec before any request exists (414, 431), without a body.
     */
    /**
     * Like {@link #send(String, Response, List)}, for requests that may be over the HTTP server's size limits: it
     * refuses them (414, 431) and closes the connection, possibly while the client is still writing, which the
     * client sees as a broken pipe or a reset rather than an answer. That is the server refusing to read on.
     */
    private static void send(String what, java.util.function.Supplier<Response> request, List<String> failures) {
        Response response;
        try {
            response = request.get();
        } catch (Exception e) { // RestAssured rethrows the socket's IOException undeclared
            if (e instanceof java.io.IOException || e.getCause() instanceof java.io.IOException) {
                return;
            }
            throw e;
        }
        send(what, response, failures);
    }

    private static void send(String what, Response response, List<String> failures) {
        int status = response.statusCode();
        if (status >= 500) {
            failures.add(what + ": " + status + " " + abbreviate(response.asString()));
        } else if (status >= 400 && status != 405 && status != 414 && status != 431 && (!isJson(response) || blank(response.path("error"))
                || blank(response.path("cause")))) {
            failures.add(what + ": " + status + " without {error, cause}: " + abbreviate(response.asString()));
        }
    }

    /** Records anything but {@code status} with a message naming {@code field} (or the given cause). */
    private static void refused(String what, Response response, int status, String field, List<String> failures) {
        send(what, response, failures);
        String message = response.statusCode() < 400 || !isJson(response) ? "" : response.path("error") + " "
                + response.path("cause");
        if (response.statusCode() != status || !message.toLowerCase().contains(field.toLowerCase())) {
            failures.add(what + ": expected " + status + " naming " + field + ", got " + response.statusCode() + " "
                    + abbreviate(response.asString()));
        }
    }

    private static boolean isJson(Response response) {
        return response.contentType() != null && response.contentType().startsWith("application/json");
    }

    private static boolean blank(Object value) {
        return value == null || value.toString().isBlank();
    }

    /** One random edit: truncate, drop or insert a character, or swap a value for another JSON type. */
    private static String mutate(String json, Random random) {
        int at = random.nextInt(json.length());
        String[] values = {"null", "5", "-1e999", "\"\"", "[]", "{}", "true", "\"" + OVERSIZE + "\"", "\"\\u0000\"",
                "\"%%%\"", "\"===\""};
        return switch (random.nextInt(5)) {
            case 0 -> json.substring(0, at);
            case 1 -> json.substring(0, at) + json.substring(at + 1);
            case 2 -> json.substring(0, at) + (char) random.nextInt(128) + json.substring(at);
            case 3 -> json.replaceFirst("\"[^\"]*\"(?=\\s*[,}\\]])", java.util.regex.Matcher.quoteReplacement(
                    values[random.nextInt(values.length)]));
            default -> {
                byte[] garbage = new byte[random.nextInt(64)];
                random.nextBytes(garbage);
                yield new String(garbage, StandardCharsets.ISO_8859_1);
            }
        };
    }

    private static String base64(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "...(" + text.length() + " chars)";
    }
}
