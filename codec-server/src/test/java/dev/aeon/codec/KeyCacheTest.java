package dev.aeon.codec;

import dev.aeon.codec.keys.CountingDataKeyRepository;
import dev.aeon.codec.keys.DataKeyService;
import dev.aeon.codec.sdk.EncryptedPayloadFormat;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.temporal.api.common.v1.Payload;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.aeon.codec.CodecApi.body;
import static dev.aeon.codec.CodecApi.createKey;
import static dev.aeon.codec.CodecApi.encode;
import static dev.aeon.codec.CodecApi.freshNamespace;
import static dev.aeon.codec.CodecApi.json;
import static dev.aeon.codec.CodecApi.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The key cache holds a bounded number of namespaces, and made-up key ids do not make it reload. */
@QuarkusTest
@TestProfile(KeyCacheTest.TwoNamespaces.class)
class KeyCacheTest {

    public static class TwoNamespaces implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aeon.codec.cache-max-namespaces", "2");
        }
    }

    @Inject
    CountingDataKeyRepository repository;

    @Inject
    DataKeyService keys;

    @Test
    void unknownKeyIdsReloadANamespacesKeysAtMostOnceASecond() {
        String ns = freshNamespace("misses");
        createKey(ns);
        encode(ns, List.of(json("1"))); // loaded and cached
        int before = repository.loads();
        long started = System.nanoTime();

        for (int i = 0; i < 50; i++) {
            Payload madeUp = EncryptedPayloadFormat.encrypt(json("1"), "made-up-" + i,
                    EncryptedPayloadFormat.aesKey(new byte[32]));
            post("/decode", ns, body(List.of(madeUp))).statusCode(400).body("cause", equalTo("unknown-key"));
        }

        // At most one reload per second of the loop (a loaded machine makes the 50 requests take longer), never
        // one per miss.
        long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        int loads = repository.loads() - before;
        assertTrue(loads <= seconds + 2 && loads < 50, loads + " loads for 50 misses in " + seconds + " s");
    }

    @Test
    void theCacheHoldsAtMostTheConfiguredNumberOfNamespaces() {
        for (int i = 0; i < 5; i++) {
            String ns = freshNamespace("bounded");
            createKey(ns);
            assertEquals(1, encode(ns, List.of(json("1"))).size());
        }

        assertTrue(keys.cachedNamespaces() <= 2, keys.cachedNamespaces() + " namespaces cached");
    }
}
