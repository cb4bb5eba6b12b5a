package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.persistence.ExecutionStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A data-plane node whose shard another node took over, while the members still give it that shard, was replaced: it
 * reports not ready at once, and retires (not ready, not live, out of the member list) once the members did not change
 * within three heartbeats (a lagging view of the members would have), instead of staying in the Service and answering
 * UNAVAILABLE. Its own app instance (a profile of its own): a retired node stays retired.
 */
@QuarkusTest
@TestProfile(ShardOwnershipReadinessTest.OwnNode.class)
class ShardOwnershipReadinessTest {

    public static class OwnNode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aeon.data-plane.history.node-id", "readiness-test-node");
        }
    }

    @Inject
    ExecutionStore store;

    @Test
    void aNodeWhoseShardWasTakenOverReportsNotReady() throws InterruptedException {
        assertEquals("UP", shardsCheck(given().get("/q/health/ready")));

        store.acquireShard(3, "another-node");

        long deadline = System.currentTimeMillis() + 15_000;
        Response ready = given().get("/q/health/ready");
        while (!retired(ready) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            ready = given().get("/q/health/ready");
        }
        assertEquals(503, ready.statusCode());
        assertEquals("DOWN", shardsCheck(ready));
        assertEquals("node retired: shard 3 was taken over by another node",
                ready.jsonPath().getString("checks.find { it.name == 'shards' }.data.error"));
        assertEquals(503, given().get("/q/health/live").statusCode(), "retired: restart it to rejoin");
    }

    private static boolean retired(Response ready) {
        String error = ready.jsonPath().getString("checks.find { it.name == 'shards' }.data.error");
        return error != null && error.startsWith("node retired");
    }

    private static String shardsCheck(Response ready) {
        return ready.jsonPath().getString("checks.find { it.name == 'shards' }.status");
    }
}
