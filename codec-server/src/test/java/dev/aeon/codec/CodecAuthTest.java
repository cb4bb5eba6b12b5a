package dev.aeon.codec;

import dev.aeon.testing.StandInControlPlane;
import dev.aeon.testing.StandInControlPlaneResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.temporal.api.common.v1.Payload;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static dev.aeon.codec.CodecApi.body;
import static dev.aeon.codec.CodecApi.json;
import static dev.aeon.codec.CodecApi.payloads;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The codec server's authorization matrix with real signed API keys: no key and bad keys are 401, a key without
 * the endpoint's permission is 403, another tenant's key sees the namespace as missing (404), and a key disabled
 * on the control plane stops working.
 */
@QuarkusTest
@TestProfile(CodecAuthProfile.class)
class CodecAuthTest {

    private static final String ACCOUNT = "acme";
    private final String namespace = "orders-" + UUID.randomUUID().toString().substring(0, 6) + "." + ACCOUNT;

    /** A signed key whose current access the stand-in control plane answers with. */
    private String key(String account, String role, String permission, boolean enabled) throws Exception {
        String keyId = "k-" + UUID.randomUUID();
        StandInControlPlaneResource.controlPlane().putAccess(keyId, """
                {"keyId":"%s","accountId":"%s","ownerId":"u-1","ownerType":"user","enabled":%s,
                 "expiresAt":"%s","accountRole":"%s","namespacePermissions":{%s}}"""
                .formatted(keyId, account, enabled, Instant.now().plus(1, ChronoUnit.DAYS), role,
                        permission == null ? "" : "\"" + namespace + "\":\"" + permission + "\""));
        return StandInControlPlaneResource.sign(keyId, account, Instant.now().plus(1, ChronoUnit.DAYS));
    }

    private RequestSpecification as(String apiKey) {
        var request = given().contentType("application/json").header("X-Namespace", namespace);
        return apiKey == null ? request : request.header("Authorization", "Bearer " + apiKey);
    }

    @Test
    void eachEndpointNeedsItsPermissionOnTheNamespace() throws Exception {
        String owner = key(ACCOUNT, "OWNER", null, true);
        String writer = key(ACCOUNT, "DEVELOPER", "WRITE", true);
        String reader = key(ACCOUNT, "DEVELOPER", "READ", true);
        List<Payload> plain = List.of(json("\"card 4242\""));

        as(writer).post("/codec/keys/" + namespace).then().statusCode(403).body("cause", equalTo("permission_denied"));
        as(owner).post("/codec/keys/" + namespace).then().statusCode(201);

        String encrypted = as(writer).body(body(plain)).post("/encode").then().statusCode(200).extract().asString();
        as(reader).body(encrypted).post("/encode").then().statusCode(403)
                .body("error", containsString("needs WRITE"));
        String decrypted = as(reader).body(encrypted).post("/decode").then().statusCode(200).extract().asString();
        assertEquals(plain, payloads(decrypted));
    }

    @Test
    void withoutAValidKeyNothingIsDecoded() throws Exception {
        String body = body(List.of(json("1")));
        as(null).body(body).post("/decode").then().statusCode(401).body("cause", equalTo("unauthenticated"));
        as("not-a-key").body(body).post("/decode").then().statusCode(401);
        String forged = StandInControlPlane.sign(StandInControlPlane.unpublishedKey("sk-1"), "k-forged", ACCOUNT,
                StandInControlPlane.ISSUER, Instant.now().plus(1, ChronoUnit.DAYS));
        as(forged).body(body).post("/decode").then().statusCode(401);
        as(key(ACCOUNT, "OWNER", null, false)).body(body).post("/decode").then().statusCode(401)
                .body("error", containsString("disabled"));
    }

    @Test
    void anotherTenantsKeySeesTheNamespaceAsMissing() throws Exception {
        String otherTenant = key("globex", "OWNER", null, true);
        as(otherTenant).body(body(List.of(json("1")))).post("/decode").then().statusCode(404)
                .body("error", equalTo("namespace " + namespace + " not found"));
        given().header("Authorization", "Bearer " + otherTenant).get("/codec/keys/" + namespace)
                .then().statusCode(404);
    }
}
