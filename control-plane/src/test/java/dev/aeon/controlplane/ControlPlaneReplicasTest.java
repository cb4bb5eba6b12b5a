package dev.aeon.controlplane;

import dev.aeon.controlplane.bootstrap.Bootstrap;
import dev.aeon.controlplane.namespace.NamespaceProvisioningRunner;
import dev.aeon.controlplane.nexus.NexusEndpointProvisioningRunner;
import dev.aeon.controlplane.operation.ProvisioningSettings;
import dev.aeon.controlplane.provisioning.DataPlaneProvisioner;
import dev.aeon.controlplane.security.ApiKeyTokens;
import dev.aeon.controlplane.store.Actor;
import dev.aeon.controlplane.store.ApiKeyRow;
import dev.aeon.controlplane.store.AsyncOperationRow;
import dev.aeon.controlplane.store.Mutation;
import dev.aeon.controlplane.store.Mutation.Change;
import dev.aeon.controlplane.store.NamespaceRow;
import dev.aeon.controlplane.store.NexusEndpointRow;
import dev.aeon.controlplane.store.ResourceStore;
import dev.aeon.controlplane.store.ResourceStore.ListFilter;
import dev.aeon.controlplane.store.UserRow;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Control-plane replicas sharing one PostgreSQL: besides the test boot's own runners, tests start runner stacks of
 * their own with their own replica ids (a replica's whole state is in the store, so a stack over the shared store is
 * a replica), all calling the recording data plane, which notes calls that overlap on one resource; replicas starting
 * together run the bootstrap at once (its bean holds no state: two threads are two replicas).
 */
@QuarkusTest
class ControlPlaneReplicasTest {

    private static final Duration POLL = Duration.ofMillis(50);

    @Inject
    ResourceStore store;

    @Inject
    DataPlaneProvisioner provisioner;

    @Inject
    Bootstrap bootstrap;

    @ConfigProperty(name = "aeon.control-plane.data-plane-url")
    String dataPlane;

    private final List<NamespaceProvisioningRunner> namespaceReplicas = new ArrayList<>();
    private final List<NexusEndpointProvisioningRunner> nexusReplicas = new ArrayList<>();

    @AfterEach
    void stopReplicas() throws InterruptedException {
        for (NamespaceProvisioningRunner replica : namespaceReplicas) {
            replica.stop();
        }
        for (NexusEndpointProvisioningRunner replica : nexusReplicas) {
            replica.stop();
        }
    }

    @Test
    void replicasRacingOnTheSameOperationsCallTheDataPlaneOncePerAttemptAndNeverAtOnce() throws Exception {
        String account = newAccount();
        List<AsyncOperationRow> steady = new ArrayList<>();
        List<AsyncOperationRow> outage = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            steady.add(createNamespace(account, "slow-" + i));
            outage.add(createNamespace(account, "slow-down-" + i));
        }
        for (AsyncOperationRow op : outage) {
            given().baseUri(dataPlane).put("/_test/outages/" + op.resourceId).then().statusCode(200);
        }

        List<NamespaceProvisioningRunner> replicas = List.of(namespaceReplica("a"), namespaceReplica("b"),
                namespaceReplica("c"));
        // every replica is handed every operation at once, as if each had just polled
        for (NamespaceProvisioningRunner replica : replicas) {
            replica.start();
            for (AsyncOperationRow op : steady) {
                replica.submit(op);
            }
            for (AsyncOperationRow op : outage) {
                replica.submit(op);
            }
        }
        for (AsyncOperationRow op : outage) {
            awaitAttempts(op, 3);
        }
        for (AsyncOperationRow op : outage) {
            given().baseUri(dataPlane).delete("/_test/outages/" + op.resourceId).then().statusCode(200);
        }

        for (AsyncOperationRow op : steady) {
            AsyncOperationRow done = awaitFinished(op);
            assertEquals("FULFILLED", done.state);
            assertEquals(1, done.attempts, op.resourceId);
            assertEquals(1, namespaceCalls(op.resourceId).size(), "one call to the data plane for " + op.resourceId);
        }
        for (AsyncOperationRow op : outage) {
            AsyncOperationRow done = awaitFinished(op);
            assertEquals("FULFILLED", done.state);
            List<Map<String, Object>> calls = namespaceCalls(op.resourceId);
            assertEquals(done.attempts, calls.size(), "one call per attempt for " + op.resourceId);
            assertTrue(calls.size() >= 3, "retried through the outage");
        }
        for (AsyncOperationRow op : concat(steady, outage)) {
            assertFalse(namespaceCalls(op.resourceId).stream().anyMatch(c -> Boolean.TRUE.equals(c.get("overlapping"))),
                    "two replicas called the data plane for " + op.resourceId + " at once");
            assertEquals("RESOURCE_STATE_ACTIVE", store.find(NamespaceRow.class, account, op.resourceId)
                    .orElseThrow().state);
        }
    }

    @Test
    void aReplicaThatDiedHasItsOperationTakenOverOnceItsLeaseRunsOutWithoutARestart() throws Exception {
        String account = newAccount();
        AsyncOperationRow op = createNamespace(account, "orphan");
        // a replica marked an attempt and died before it called the data plane
        assertTrue(store.claimAttempt(account, op.id(), "replica-dead", Duration.ofSeconds(2)).held());

        namespaceReplica("survivor").start(); // running on, no restart to come
        Thread.sleep(1_000);
        assertEquals(0, namespaceCalls(op.resourceId).size(), "taken over while the dead replica's lease still ran");

        AsyncOperationRow done = awaitFinished(op);
        assertEquals("FULFILLED", done.state);
        assertEquals(2, done.attempts, "the dead replica's attempt and the survivor's");
        assertTrue(done.claimedBy.startsWith("replica-survivor-"), done.claimedBy);
        assertEquals(1, namespaceCalls(op.resourceId).size());
        assertEquals("RESOURCE_STATE_ACTIVE", store.find(NamespaceRow.class, account, op.resourceId).orElseThrow().state);
    }

    @Test
    void aReplicaThatStopsLetsAnotherTakeItsOperationOverAtOnce() throws Exception {
        String account = newAccount();
        AsyncOperationRow op = createNamespace(account, "handed-over");
        given().baseUri(dataPlane).put("/_test/outages/" + op.resourceId).then().statusCode(200);
        NamespaceProvisioningRunner stopping = namespaceReplica("stopping");
        stopping.start();
        stopping.submit(op);
        awaitAttempts(op, 2); // held, retried through the outage

        stopping.stop(); // as at SIGTERM
        given().baseUri(dataPlane).delete("/_test/outages/" + op.resourceId).then().statusCode(200);
        namespaceReplica("next").start();

        AsyncOperationRow done = awaitFinished(op); // well before the stopped replica's 30 s lease would run out
        assertEquals("FULFILLED", done.state);
        assertTrue(done.claimedBy.startsWith("replica-next-"), done.claimedBy);
    }

    @Test
    void oneEndpointsOperationsOnSeveralReplicasRunOnceEachAndOneAtATime() throws Exception {
        String account = newAccount();
        String endpoint = "slow-" + UUID.randomUUID();
        List<AsyncOperationRow> ops = new ArrayList<>();
        ops.add(store.apply(new Mutation<>(NexusEndpointRow.class, actor(account), endpoint, "op-" + UUID.randomUUID(),
                "CreateNexusEndpoint", none -> {
                    NexusEndpointRow row = new NexusEndpointRow();
                    row.id = endpoint;
                    row.name = "ep_" + endpoint.substring(5, 13);
                    row.spec = endpointSpec(row.name, "q0");
                    row.state = "RESOURCE_STATE_ACTIVE";
                    return Change.insert(row, true);
                })).operation());
        for (int i = 1; i <= 4; i++) {
            String queue = "q" + i;
            ops.add(store.apply(new Mutation<>(NexusEndpointRow.class, actor(account), endpoint,
                    "op-" + UUID.randomUUID(), "UpdateNexusEndpoint", row -> {
                        row.spec = endpointSpec(row.name, queue);
                        return Change.update(row, true);
                    })).operation());
        }

        List<NexusEndpointProvisioningRunner> replicas = List.of(nexusReplica("a"), nexusReplica("b"),
                nexusReplica("c"));
        for (int r = 0; r < replicas.size(); r++) {
            replicas.get(r).start();
            for (int i = 0; i < ops.size(); i++) {
                replicas.get(r).submit(ops.get((i + r) % ops.size())); // each replica starts with another one
            }
        }

        for (AsyncOperationRow op : ops) {
            assertEquals("FULFILLED", awaitFinished(op).state);
        }
        List<Map<String, Object>> calls = RecordingDataPlane.calls("PUT", "/internal/v1/nexus-endpoints/" + endpoint);
        assertEquals(ops.size(), calls.size(), "one call per operation");
        assertFalse(calls.stream().anyMatch(c -> Boolean.TRUE.equals(c.get("overlapping"))),
                "two replicas called the data plane for one endpoint at once");
    }

    @Test
    void replicasBootstrappingAtOnceCreateTheAccountItsOwnerKeyAndNamespaceOnce() throws Exception {
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String account = "boot" + CloudApi.unique();
                Path keyFile = Files.createTempDirectory("aeon-boot").resolve("owner.key");
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<?>> starts = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    starts.add(replicas.submit(() -> {
                        together.await();
                        bootstrap.bootstrap(account, "owner@" + account + ".test", Optional.of(keyFile),
                                Optional.of("first"));
                        return null;
                    }));
                }
                for (Future<?> start : starts) {
                    start.get(); // neither start fails
                }

                assertEquals(1, store.list(UserRow.class, account, ListFilter.all(), null, 10).size());
                List<ApiKeyRow> keys = store.list(ApiKeyRow.class, account, ListFilter.all(), null, 10);
                assertEquals(1, keys.size());
                assertEquals(keys.get(0).tokenSha256, ApiKeyTokens.sha256(Files.readString(keyFile).trim()),
                        "the key file holds the one key");
                assertEquals(List.of("first." + account), store.list(NamespaceRow.class, account,
                        ListFilter.all(), null, 10).stream().map(row -> row.id).toList());
            }
        } finally {
            replicas.shutdownNow();
        }
    }

    // helpers

    private NamespaceProvisioningRunner namespaceReplica(String name) {
        NamespaceProvisioningRunner replica = new NamespaceProvisioningRunner(store, provisioner, settings(name));
        namespaceReplicas.add(replica);
        return replica;
    }

    private NexusEndpointProvisioningRunner nexusReplica(String name) {
        NexusEndpointProvisioningRunner replica = new NexusEndpointProvisioningRunner(store, provisioner,
                settings(name));
        nexusReplicas.add(replica);
        return replica;
    }

    private static ProvisioningSettings settings(String replica) {
        return new ProvisioningSettings("replica-" + replica + "-" + UUID.randomUUID(), Duration.ofMillis(50),
                Duration.ofMillis(100), Duration.ofSeconds(30), POLL);
    }

    private String newAccount() {
        String account = "replicas" + CloudApi.unique();
        store.createAccount(account, account);
        return account;
    }

    private static Actor actor(String account) {
        return new Actor(account, "user", "u-replicas", "k-replicas");
    }

    /** A namespace create recorded as NamespaceService records it, handed to no runner yet. */
    private AsyncOperationRow createNamespace(String account, String name) {
        String id = name + "." + account;
        return store.apply(new Mutation<>(NamespaceRow.class, actor(account), id, "op-" + UUID.randomUUID(),
                "CreateNamespace", none -> {
                    NamespaceRow row = new NamespaceRow();
                    row.id = id;
                    row.name = name;
                    row.spec = "{\"name\":\"" + name + "\",\"retentionDays\":7}";
                    row.tags = "{}";
                    row.state = "RESOURCE_STATE_ACTIVATING";
                    return Change.insert(row, true);
                })).operation();
    }

    private static String endpointSpec(String name, String queue) {
        return "{\"name\":\"" + name + "\",\"targetSpec\":{\"workerTargetSpec\":{\"namespaceId\":\"target.acct\","
                + "\"taskQueue\":\"" + queue + "\"}}}";
    }

    private static List<Map<String, Object>> namespaceCalls(String namespaceId) {
        return RecordingDataPlane.calls("PUT", "/internal/v1/namespaces/" + namespaceId);
    }

    /** Waits up to 20 s: less than the replicas' 30 s lease, so no test passes by waiting a lease out. */
    private AsyncOperationRow awaitFinished(AsyncOperationRow op) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        AsyncOperationRow now = store.findOperation(op.accountId(), op.id()).orElseThrow();
        while (now.finishedAt == null && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            now = store.findOperation(op.accountId(), op.id()).orElseThrow();
        }
        assertTrue(now.finishedAt != null, "operation " + op.id() + " of " + op.resourceId + " did not finish");
        return now;
    }

    private void awaitAttempts(AsyncOperationRow op, int attempts) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (store.findOperation(op.accountId(), op.id()).orElseThrow().attempts < attempts
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
