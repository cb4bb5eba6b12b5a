package dev.aeon.controlplane;

import dev.aeon.controlplane.bootstrap.Bootstrap;
import io.quarkus.arc.Arc;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/** Test helpers for the Cloud Ops API over REST: accounts and their owner keys, requests, waiting for operations. */
final class CloudApi {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private CloudApi() {
    }

    /** The bootstrap account's owner key, as the bootstrap wrote it. */
    static String bootstrapToken() {
        Path file = Path.of(ConfigProvider.getConfig().getValue("aeon.control-plane.bootstrap.api-key-file",
                String.class));
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new account (unique id from {@code prefix}); returns its owner's API key. */
    static String newAccount(String prefix) {
        String id = prefix + unique();
        return Arc.container().instance(Bootstrap.class).get().createAccount(id, "owner@" + id + ".test",
                Optional.empty());
    }

    static String accountOf(String token) {
        return as(token).get("/cloud/account").then().statusCode(200).extract().path("account.id");
    }

    static String unique() {
        return Integer.toString(SEQUENCE.incrementAndGet()) + Long.toString(System.nanoTime() % 100000, 36);
    }

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    /** A namespace spec with API-key auth, as proto3 JSON. */
    static String namespaceSpec(String name, int retentionDays) {
        return "{\"name\":\"" + name + "\",\"retentionDays\":" + retentionDays + ",\"apiKeyAuth\":{\"enabled\":true}}";
    }

    /** Creates a namespace and waits until its operation ended; returns the namespace id. */
    static String createNamespace(String token, String name) {
        JsonPath created = as(token).body("{\"spec\":" + namespaceSpec(name, 7) + "}").post("/cloud/namespaces")
                .then().statusCode(200).extract().jsonPath();
        awaitOperation(token, created.getString("asyncOperation.id"));
        return created.getString("namespace");
    }

    /** Polls GetAsyncOperation until FULFILLED or FAILED; returns the operation. */
    static JsonPath awaitOperation(String token, String operationId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            JsonPath op = as(token).get("/cloud/operations/" + operationId).then().statusCode(200).extract().jsonPath();
            String state = op.getString("asyncOperation.state");
            if ("STATE_FULFILLED".equals(state) || "STATE_FAILED".equals(state) || Instant.now().isAfter(deadline)) {
                return op;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A user or service account of an account, and an API key of its own. */
    record Identity(String id, String keyId, String token) {
    }

    /** A new user of the owner's account with this role (and, if not null, these namespace accesses), with a key. */
    static Identity newUser(String owner, String role, String namespaceAccesses) {
        String userId = as(owner).body("{\"spec\":{\"email\":\"u-" + unique() + "@example.com\",\"access\":"
                        + "{\"accountAccess\":{\"role\":\"" + role + "\"}"
                        + (namespaceAccesses == null ? "" : "," + namespaceAccesses) + "}}}")
                .post("/cloud/users").then().statusCode(200).extract().path("userId");
        return withKey(owner, userId, "OWNER_TYPE_USER");
    }

    /** A new service account of the owner's account with this role, with a key. */
    static Identity newServiceAccount(String owner, String role) {
        String id = as(owner).body("{\"spec\":{\"name\":\"sa-" + unique() + "\",\"access\":{\"accountAccess\":"
                + "{\"role\":\"" + role + "\"}}}}").post("/cloud/service-accounts").then().statusCode(200)
                .extract().path("serviceAccountId");
        return withKey(owner, id, "OWNER_TYPE_SERVICE_ACCOUNT");
    }

    private static Identity withKey(String owner, String ownerId, String ownerType) {
        JsonPath key = as(owner).body(apiKeyRequest(ownerId, ownerType)).post("/cloud/api-keys").then().statusCode(200)
                .extract().jsonPath();
        return new Identity(ownerId, key.getString("keyId"), key.getString("token"));
    }

    /** A CreateApiKey body for this owner, expiring in a day. */
    static String apiKeyRequest(String ownerId, String ownerType) {
        return "{\"spec\":{\"ownerId\":\"" + ownerId + "\",\"ownerType\":\"" + ownerType + "\","
                + "\"displayName\":\"k\",\"expiryTime\":\"" + expiryInDays(1) + "\"}}";
    }

    static String expiryInDays(int days) {
        return Instant.now().plus(Duration.ofDays(days)).toString();
    }
}
