package dev.aeon.controlplane.security;

import dev.aeon.controlplane.store.SigningKeyRow;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens naming made-up key ids cannot make the control plane read its signing keys for every request. */
@QuarkusTest
class SigningKeysTest {

    @Inject
    SigningKeys keys;

    @Inject
    CountingResourceStore store;

    @Test
    void unknownKidsReloadTheKeysAtMostOnceASecond() throws Exception {
        String known = keys.active().kid();
        assertNotNull(keys.publicKey(known));
        int before = store.signingKeyReads();
        long started = System.nanoTime();

        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String kid = "made-up-" + i;
            calls.add(callers.submit(() -> assertNull(keys.publicKey(kid))));
        }
        for (Future<?> call : calls) {
            call.get();
        }
        callers.shutdown();

        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        int reads = store.signingKeyReads() - before;
        assertTrue(reads <= seconds + 1, reads + " reloads in " + seconds + " s for 400 unknown kids");
        assertNotNull(keys.publicKey(known), "a known kid still verifies without a reload");
    }

    /**
     * Another replica rotated (straight in the shared store) and retired the key this one signed with: tokens issued
     * here from then on are signed with the new key, and verify.
     */
    @Test
    void aKeyRotatedByAnotherReplicaSignsTheNextTokenHere() {
        String before = keys.rotate(); // a key of this test's own (keys other tests hold stay valid), signing here
        assertEquals(before, keys.active().kid());

        SigningKeyRow next = TestSigningKeys.generate();
        store.rotateSigningKey(next); // as another replica's rotate() would
        store.retireSigningKey(before);

        String signing = keys.active().kid();
        assertEquals(next.kid, signing);
        assertNotNull(keys.publicKey(signing), "its tokens verify");
    }

    /** Another replica retired a key (straight in the shared store): this one stops verifying with it in time. */
    @Test
    void aKeyRetiredByAnotherReplicaStopsVerifyingHereWithinTheMaximumAge() throws Exception {
        // A key made for this test only (keys other tests hold stay valid): active for a moment, then rotated out.
        String retiring = keys.rotate();
        keys.rotate();
        assertNotNull(keys.publicKey(retiring), "a rotated-out key keeps verifying until it is retired");

        store.retireSigningKey(retiring); // as another replica's retire() would

        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (keys.publicKey(retiring) != null && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertNull(keys.publicKey(retiring), "still verifying 10 s after another replica retired it");
    }
}
