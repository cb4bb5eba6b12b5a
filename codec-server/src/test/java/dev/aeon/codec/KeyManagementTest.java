package dev.aeon.codec;

import dev.aeon.codec.keys.DataKeyRepository;
import dev.aeon.codec.keys.StoredDataKey;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.temporal.api.common.v1.Payload;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.aeon.codec.CodecApi.body;
import static dev.aeon.codec.CodecApi.decode;
import static dev.aeon.codec.CodecApi.encode;
import static dev.aeon.codec.CodecApi.freshNamespace;
import static dev.aeon.codec.CodecApi.json;
import static dev.aeon.codec.CodecApi.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
class KeyManagementTest {

    @Inject
    DataKeyRepository repository;

    private static String keyIdOf(Payload encrypted) {
        return encrypted.getMetadataOrThrow("encryption-key-id").toStringUtf8();
    }

    @Test
    void rotationEncryptsWithTheNewKeyAndOldPayloadsStillDecode() {
        String ns = freshNamespace("rotate");
        given().contentType("application/json").body("{\"keyId\":\"k1\"}").post("/codec/keys/" + ns)
                .then().statusCode(201)
                .body("version", equalTo(1)).body("state", equalTo("ENABLED")).body("current", equalTo(true))
                .body("createdAt", notNullValue());
        Payload before = encode(ns, List.of(json("\"before\""))).get(0);

        given().post("/codec/keys/" + ns).then().statusCode(201)
                .body("version", equalTo(2)).body("current", equalTo(true));
        Payload after = encode(ns, List.of(json("\"after\""))).get(0);

        assertEquals("k1", keyIdOf(before));
        assertFalse("k1".equals(keyIdOf(after)));
        assertEquals(List.of(json("\"before\""), json("\"after\"")), decode(ns, List.of(before, after)));
    }

    @Test
    void theListShowsIdsVersionsStatesAndNeverKeyMaterial() {
        String ns = freshNamespace("list");
        given().contentType("application/json").body("{\"keyId\":\"first\"}").post("/codec/keys/" + ns)
                .then().statusCode(201);
        given().contentType("application/json").body("{\"keyId\":\"second\"}").post("/codec/keys/" + ns)
                .then().statusCode(201);

        JsonPath list = given().get("/codec/keys/" + ns).then().statusCode(200).extract().jsonPath();

        assertEquals(ns, list.getString("namespace"));
        assertEquals("second", list.getString("currentKeyId"));
        assertEquals(List.of("second", "first"), list.getList("keys.keyId"));
        assertEquals(List.of(2, 1), list.getList("keys.version"));
        assertEquals(List.of(true, false), list.getList("keys.current"));
        Map<String, Object> first = list.getMap("keys[0]");
        assertEquals(Set.of("namespace", "keyId", "version", "state", "current", "createdAt", "stateChangedAt"),
                first.keySet());
    }

    @Test
    void keysAreStoredOnlyWrappedUnderTheMasterKey() {
        String ns = freshNamespace("wrapped");
        byte[] material = new byte[32];
        new SecureRandom().nextBytes(material);
        given().contentType("application/json")
                .body("{\"keyId\":\"imported\",\"key\":\"" + Base64.getEncoder().encodeToString(material) + "\"}")
                .post("/codec/keys/" + ns).then().statusCode(201);

        StoredDataKey stored = repository.findByNamespace(ns).get(0);

        assertEquals("local", stored.wrapped().masterKeyId());
        assertEquals(12 + 32 + 16, stored.wrapped().bytes().length);
        assertFalse(Base64.getEncoder().encodeToString(stored.wrapped().bytes())
                .contains(Base64.getEncoder().encodeToString(material).substring(0, 20)));
    }

    @Test
    void aDisabledKeyNeitherEncryptsNorDecryptsUntilEnabledAgain() {
        String ns = freshNamespace("disable");
        given().contentType("application/json").body("{\"keyId\":\"old\"}").post("/codec/keys/" + ns)
                .then().statusCode(201);
        given().contentType("application/json").body("{\"keyId\":\"new\"}").post("/codec/keys/" + ns)
                .then().statusCode(201);
        Payload withNew = encode(ns, List.of(json("\"n\""))).get(0);

        given().post("/codec/keys/" + ns + "/new/disable").then().statusCode(200)
                .body("state", equalTo("DISABLED")).body("current", equalTo(false))
                .body("stateChangedAt", notNullValue());

        assertEquals("old", keyIdOf(encode(ns, List.of(json("1"))).get(0)));
        post("/decode", ns, body(List.of(withNew))).statusCode(400)
                .body("cause", equalTo("key-disabled"))
                .body("error", containsString("/codec/keys/" + ns + "/new/enable"));

        given().post("/codec/keys/" + ns + "/new/enable").then().statusCode(200)
                .body("state", equalTo("ENABLED")).body("current", equalTo(true));
        assertEquals(List.of(json("\"n\"")), decode(ns, List.of(withNew)));

        given().post("/codec/keys/" + ns + "/old/disable").then().statusCode(200);
        given().post("/codec/keys/" + ns + "/new/disable").then().statusCode(200);
        post("/encode", ns, body(List.of(json("1")))).statusCode(400).body("cause", equalTo("no-active-key"));
    }

    @Test
    void concurrentRotationsGetDistinctVersions() throws Exception {
        String ns = freshNamespace("race");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> versions = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                versions.add(pool.submit(() -> given().post("/codec/keys/" + ns).then().statusCode(201)
                        .extract().<Integer>path("version")));
            }
            Set<Integer> seen = new java.util.TreeSet<>();
            for (var version : versions) {
                seen.add(version.get());
            }
            assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8), seen);
        } finally {
            pool.shutdownNow();
        }
        given().get("/codec/keys/" + ns).then().statusCode(200)
                .body("keys[0].version", equalTo(8)).body("keys[0].current", equalTo(true));
    }

    @Test
    void badRequestsNameTheField() {
        String ns = freshNamespace("bad");
        given().post("/codec/keys/" + ns + "/nope/disable").then().statusCode(404)
                .body("cause", equalTo("unknown-key"));
        given().contentType("application/json").body("{\"keyId\":\"k\",\"key\":\"c2hvcnQ=\"}")
                .post("/codec/keys/" + ns).then().statusCode(400)
                .body("cause", equalTo("invalid-key")).body("error", containsString("got 5 bytes"));
        given().contentType("application/json").body("{\"keyId\":\"k\",\"key\":\"***\"}")
                .post("/codec/keys/" + ns).then().statusCode(400).body("cause", equalTo("invalid-key"));
        given().contentType("application/json").body("{\"keyId\":\"has space\"}")
                .post("/codec/keys/" + ns).then().statusCode(400).body("cause", equalTo("invalid-key-id"));
        given().contentType("application/json").body("{\"keyId\":").post("/codec/keys/" + ns)
                .then().statusCode(400).body("cause", equalTo("invalid-json"));
        given().contentType("application/json").body("{\"kid\":\"x\"}").post("/codec/keys/" + ns)
                .then().statusCode(400).body("cause", equalTo("invalid-json"));
        given().contentType("application/json").body("{\"keyId\":\"dup\"}").post("/codec/keys/" + ns)
                .then().statusCode(201);
        given().contentType("application/json").body("{\"keyId\":\"dup\"}").post("/codec/keys/" + ns)
                .then().statusCode(409).body("cause", equalTo("key-exists"));
        given().post("/codec/keys/bad%20name").then().statusCode(400).body("cause", equalTo("invalid-namespace"));
    }
}
