package dev.aeon.controlplane;

import dev.aeon.auth.InternalToken;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import static dev.aeon.controlplane.CloudApi.as;
import static dev.aeon.controlplane.CloudApi.awaitOperation;
import static dev.aeon.controlplane.CloudApi.createNamespace;
import static dev.aeon.controlplane.CloudApi.expiryInDays;
import static dev.aeon.controlplane.CloudApi.namespaceSpec;
import static dev.aeon.controlplane.CloudApi.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Users, service accounts, API keys (and what they may do), Nexus endpoints, the internal access endpoint. */
@QuarkusTest
class IdentitiesRestTest {

    @Test
    void usersAreCreatedReadUpdatedAndDeleted() {
        String owner = CloudApi.newAccount("users");
        String ns = createNamespace(owner, "team-" + unique());
        String email = "dev-" + unique() + "@example.com";
        JsonPath created = as(owner).body("{\"spec\":{\"email\":\"" + email + "\",\"access\":{\"accountAccess\":"
                + "{\"role\":\"ROLE_DEVELOPER\"},\"namespaceAccesses\":{\"" + ns + "\":{\"permission\":\"PERMISSION_WRITE\"}}}}}")
                .post("/cloud/users").then().statusCode(200).extract().jsonPath();
        String userId = created.getString("userId");
        assertEquals("STATE_FULFILLED", created.getString("asyncOperation.state"));

        as(owner).get("/cloud/users/" + userId).then().statusCode(200)
                .body("user.spec.email", equalTo(email))
                .body("user.spec.access.accountAccess.role", equalTo("ROLE_DEVELOPER"))
                .body("user.resourceVersion", equalTo("1"));
        as(owner).get("/cloud/users?email=" + email).then().body("users.id", equalTo(java.util.List.of(userId)));
        as(owner).body("{\"spec\":{\"email\":\"" + email.toUpperCase() + "\",\"access\":{\"accountAccess\":"
                + "{\"role\":\"ROLE_READ\"}}}}").post("/cloud/users").then().statusCode(409)
                .body("field", equalTo("spec.email"));

        String readOnly = "{\"spec\":{\"email\":\"" + email + "\",\"access\":{\"accountAccess\":{\"role\":\"ROLE_READ\"}}},"
                + "\"resourceVersion\":\"1\"}";
        as(owner).body(readOnly).post("/cloud/users/" + userId).then().statusCode(200);
        as(owner).body(readOnly).post("/cloud/users/" + userId).then().statusCode(400)
                .body("code", equalTo("FAILED_PRECONDITION"));
        as(owner).body(readOnly.replace("\"1\"", "\"2\"")).post("/cloud/users/" + userId).then().statusCode(400)
                .body("message", containsString("nothing to change"));

        as(owner).body("{\"access\":{\"permission\":\"PERMISSION_ADMIN\"},\"resourceVersion\":\"2\"}")
                .post("/cloud/namespaces/" + ns + "/users/" + userId + "/access").then().statusCode(200);
        as(owner).get("/cloud/users/" + userId).then()
                .body("user.spec.access.namespaceAccesses.'" + ns + "'.permission", equalTo("PERMISSION_ADMIN"));

        as(owner).body("{\"spec\":{\"email\":\"x-" + unique() + "@example.com\",\"access\":{\"accountAccess\":"
                + "{\"role\":\"ROLE_FINANCE_ADMIN\"}}}}").post("/cloud/users").then().statusCode(400)
                .body("field", equalTo("spec.access.account_access.role"));
        as(owner).body("{\"spec\":{\"email\":\"not-an-email\"}}").post("/cloud/users").then().statusCode(400)
                .body("field", equalTo("spec.email"));

        as(owner).delete("/cloud/users/" + userId + "?resourceVersion=3").then().statusCode(200);
        as(owner).get("/cloud/users/" + userId).then().statusCode(404);
    }

    @Test
    void anApiKeyIsShownOnceVerifiesWithTheJwksAndStopsWhenDisabled() throws Exception {
        String owner = CloudApi.newAccount("keys");
        String account = CloudApi.accountOf(owner);
        String saId = as(owner).body("{\"spec\":{\"name\":\"ci\",\"access\":{\"accountAccess\":{\"role\":\"ROLE_READ\"}}}}")
                .post("/cloud/service-accounts").then().statusCode(200).extract().path("serviceAccountId");
        String createKey = "{\"spec\":{\"ownerId\":\"" + saId + "\",\"ownerType\":\"OWNER_TYPE_SERVICE_ACCOUNT\","
                + "\"displayName\":\"ci key\",\"expiryTime\":\"" + expiryInDays(30) + "\"},\"asyncOperationId\":\"key-"
                + saId + "\"}";
        JsonPath created = as(owner).body(createKey).post("/cloud/api-keys").then().statusCode(200).extract().jsonPath();
        String keyId = created.getString("keyId");
        String token = created.getString("token");
        assertNotNull(token);
        as(owner).body(createKey).post("/cloud/api-keys").then().statusCode(200)
                .body("keyId", equalTo(keyId)).body("token", nullValue());
        as(owner).get("/cloud/api-keys/" + keyId).then().statusCode(200)
                .body("apiKey.spec.displayName", equalTo("ci key"))
                .body(not(containsString(token)));

        // A plain JWT library verifies the token with the published keys.
        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        jws.setKey(new VerificationJwkSelector().select(jws, new JsonWebKeySet(jwks).getJsonWebKeys()).getKey());
        assertTrue(jws.verifySignature());
        assertEquals("RS256", jws.getAlgorithmHeaderValue());
        JwtClaims claims = JwtClaims.parse(jws.getPayload());
        assertEquals(keyId, claims.getJwtId());
        assertEquals(saId, claims.getSubject());
        assertEquals("service-account", claims.getStringClaimValue("aeon_owner_type"));
        assertEquals(account, claims.getStringClaimValue("aeon_account"));
        assertEquals("https://aeon.local/control-plane", claims.getIssuer());

        as(token).get("/cloud/current-identity").then().statusCode(200)
                .body("serviceAccount.id", equalTo(saId)).body("principalApiKey.id", equalTo(keyId));
        internal(keyId).then().statusCode(200)
                .body("accountId", equalTo(account)).body("ownerType", equalTo("service-account"))
                .body("enabled", equalTo(true)).body("accountRole", equalTo("READ"));

        String disable = "{\"spec\":{\"ownerId\":\"" + saId + "\",\"ownerType\":\"OWNER_TYPE_SERVICE_ACCOUNT\","
                + "\"displayName\":\"ci key\",\"expiryTime\":\"%s\",\"disabled\":true},\"resourceVersion\":\"1\"}";
        String expiry = as(owner).get("/cloud/api-keys/" + keyId).then().extract().path("apiKey.spec.expiryTime");
        as(owner).body(String.format(disable, expiry)).post("/cloud/api-keys/" + keyId).then().statusCode(200);
        as(token).get("/cloud/account").then().statusCode(401).body("message", containsString("disabled"));
        internal(keyId).then().statusCode(200).body("enabled", equalTo(false));

        as(owner).delete("/cloud/api-keys/" + keyId + "?resourceVersion=2").then().statusCode(200);
        as(token).get("/cloud/account").then().statusCode(401);
        internal(keyId).then().statusCode(404);
    }

    @Test
    void rotatedSigningKeysKeepOldKeysWorking() {
        String before = CloudApi.newAccount("rotate");
        int published = given().get("/.well-known/jwks.json").then().extract().path("keys.size()");
        io.quarkus.arc.Arc.container().instance(dev.aeon.controlplane.security.SigningKeys.class).get().rotate();
        String after = CloudApi.newAccount("rotated");
        given().get("/.well-known/jwks.json").then().body("keys.size()", equalTo(published + 1));
        as(before).get("/cloud/account").then().statusCode(200);
        as(after).get("/cloud/account").then().statusCode(200);
        assertTrue(!kid(before).equals(kid(after)), "a new key signs after rotation");
    }

    @Test
    void aRetiredSigningKeyVerifiesNothing() {
        String retiring = signingKeys().post("/internal/v1/signing-keys/rotate").then().statusCode(200)
                .body("active", equalTo(true)).extract().path("kid");
        String signedByIt = CloudApi.newAccount("retire");
        assertEquals(retiring, kid(signedByIt));
        String next = signingKeys().post("/internal/v1/signing-keys/rotate").then().statusCode(200).extract().path("kid");
        String signedByNext = CloudApi.newAccount("retired");

        signingKeys().post("/internal/v1/signing-keys/" + next + "/retire").then().statusCode(400)
                .body("code", equalTo("FAILED_PRECONDITION"));
        signingKeys().post("/internal/v1/signing-keys/sk-missing/retire").then().statusCode(404);
        given().post("/internal/v1/signing-keys/" + retiring + "/retire").then().statusCode(401);
        as(signedByIt).get("/cloud/account").then().statusCode(200);

        signingKeys().post("/internal/v1/signing-keys/" + retiring + "/retire").then().statusCode(200)
                .body("retiredAt", not(nullValue()));

        as(signedByIt).get("/cloud/account").then().statusCode(401);
        as(signedByNext).get("/cloud/account").then().statusCode(200);
        given().get("/.well-known/jwks.json").then().body("keys.kid", not(hasItem(retiring)));
        signingKeys().get("/internal/v1/signing-keys").then().statusCode(200)
                .body("find { it.kid == '" + retiring + "' }.retiredAt", not(nullValue()))
                .body("findAll { it.active }.kid", equalTo(java.util.List.of(next)))
                .body(not(containsString("privateKey")));
    }

    private static RequestSpecification signingKeys() {
        return given().header(InternalToken.HEADER, RecordingDataPlane.INTERNAL_TOKEN);
    }

    private static String kid(String token) {
        String header = new String(java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
        return io.restassured.path.json.JsonPath.from(header).getString("kid");
    }

    @Test
    void theInternalAccessEndpointNeedsTheSharedToken() {
        given().get("/internal/v1/api-keys/k-x/access").then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        given().header("X-Aeon-Internal-Token", "wrong").get("/internal/v1/api-keys/k-x/access").then().statusCode(401);
        internal("k-unknown").then().statusCode(404);
    }

    @Test
    void rolesDecideWhatAKeyMayDo() {
        String owner = CloudApi.newAccount("rbac");
        String shared = createNamespace(owner, "shared-" + unique());
        String hidden = createNamespace(owner, "hidden-" + unique());
        String developer = keyFor(owner, "ROLE_DEVELOPER", "\"namespaceAccesses\":{\"" + shared
                + "\":{\"permission\":\"PERMISSION_READ\"}}");
        String reader = keyFor(owner, "ROLE_READ", null);

        // READ reads everything in the account, changes nothing but its own keys.
        as(reader).get("/cloud/namespaces/" + hidden).then().statusCode(200);
        as(reader).body("{\"spec\":" + namespaceSpec("r-" + unique(), 7) + "}").post("/cloud/namespaces").then()
                .statusCode(403).body("code", equalTo("PERMISSION_DENIED"));
        as(reader).body("{\"spec\":{\"email\":\"x-" + unique() + "@example.com\"}}").post("/cloud/users").then()
                .statusCode(403);

        // DEVELOPER sees what it was given, creates namespaces and administers those.
        as(developer).get("/cloud/namespaces/" + hidden).then().statusCode(404);
        as(developer).get("/cloud/namespaces").then().body("namespaces.namespace", not(hasItem(hidden)))
                .body("namespaces.namespace", hasItem(shared));
        as(developer).body("{\"spec\":" + namespaceSpec(shared.substring(0, shared.indexOf('.')), 8)
                + ",\"resourceVersion\":\"1\"}").post("/cloud/namespaces/" + shared).then().statusCode(403);
        String own = createNamespace(developer, "mine-" + unique());
        as(developer).body("{\"spec\":" + namespaceSpec(own.substring(0, own.indexOf('.')), 9)
                + ",\"resourceVersion\":\"1\"}").post("/cloud/namespaces/" + own).then().statusCode(200);
        as(developer).get("/cloud/api-keys").then().statusCode(200).body("apiKeys.size()", equalTo(1));
    }

    @Test
    void deletingAnIdentityDeletesItsApiKeys() {
        String owner = CloudApi.newAccount("cascade");
        CloudApi.Identity user = CloudApi.newUser(owner, "ROLE_DEVELOPER", null);
        CloudApi.Identity robot = CloudApi.newServiceAccount(owner, "ROLE_READ");
        as(user.token()).get("/cloud/current-identity").then().statusCode(200);
        internal(user.keyId()).then().statusCode(200);

        as(owner).delete("/cloud/users/" + user.id() + "?resourceVersion=1").then().statusCode(200);
        as(owner).delete("/cloud/service-accounts/" + robot.id() + "?resourceVersion=1").then().statusCode(200);

        for (CloudApi.Identity gone : java.util.List.of(user, robot)) {
            as(owner).get("/cloud/api-keys/" + gone.keyId()).then().statusCode(404);
            as(owner).get("/cloud/api-keys?ownerId=" + gone.id()).then().statusCode(200)
                    .body("apiKeys", org.hamcrest.Matchers.anyOf(nullValue(), org.hamcrest.Matchers.empty()));
            as(owner).get("/cloud/api-keys").then().body("apiKeys.id", not(hasItem(gone.keyId())));
            internal(gone.keyId()).then().statusCode(404);
            as(gone.token()).get("/cloud/current-identity").then().statusCode(401);
        }
    }

    @Test
    void nexusEndpointsAreStored() {
        String owner = CloudApi.newAccount("nexus");
        String target = createNamespace(owner, "handler-" + unique());
        String caller = createNamespace(owner, "caller-" + unique());
        String spec = "{\"name\":\"payments\",\"targetSpec\":{\"workerTargetSpec\":{\"namespaceId\":\"" + target
                + "\",\"taskQueue\":\"nexus-q\"}},\"policySpecs\":[{\"allowedCloudNamespacePolicySpec\":"
                + "{\"namespaceId\":\"" + caller + "\"}}]}";
        String id = as(owner).body("{\"spec\":" + spec + "}").post("/cloud/nexus/endpoints").then().statusCode(200)
                .extract().path("endpointId");
        as(owner).get("/cloud/nexus/endpoints/" + id).then().statusCode(200)
                .body("endpoint.spec.targetSpec.workerTargetSpec.taskQueue", equalTo("nexus-q"));
        as(owner).get("/cloud/nexus/endpoints?name=payments").then().body("endpoints.id", equalTo(java.util.List.of(id)));
        as(owner).body("{\"spec\":" + spec + "}").post("/cloud/nexus/endpoints").then().statusCode(409);
        as(owner).body("{\"spec\":" + spec.replace("nexus-q", "other-q") + ",\"resourceVersion\":\"1\"}")
                .post("/cloud/nexus/endpoints/" + id).then().statusCode(200);
        as(owner).body("{\"spec\":" + spec.replace(target, "nope." + CloudApi.accountOf(owner)) + "}")
                .post("/cloud/nexus/endpoints").then().statusCode(400)
                .body("field", equalTo("spec.target_spec.worker_target_spec.namespace_id"));
        String deleteOp = as(owner).delete("/cloud/nexus/endpoints/" + id + "?resourceVersion=2").then().statusCode(200)
                .extract().path("asyncOperation.id");
        assertEquals("STATE_FULFILLED", awaitOperation(owner, deleteOp).getString("asyncOperation.state"));
        as(owner).get("/cloud/nexus/endpoints/" + id).then().statusCode(404);
    }

    /** A new user of the owner's account with this role, and an API key of its own. */
    private static String keyFor(String owner, String role, String namespaceAccesses) {
        return CloudApi.newUser(owner, role, namespaceAccesses).token();
    }

    private static io.restassured.response.Response internal(String keyId) {
        return given().header("X-Aeon-Internal-Token", RecordingDataPlane.INTERNAL_TOKEN)
                .get("/internal/v1/api-keys/" + keyId + "/access");
    }
}
