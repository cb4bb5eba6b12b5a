package dev.aeon.controlplane.store;

import dev.aeon.controlplane.store.Mutation.Change;
import dev.aeon.controlplane.store.ResourceStore.ListFilter;
import dev.aeon.controlplane.store.ResourceStore.Claim;
import dev.aeon.controlplane.store.ResourceStore.Claim.Outcome;
import dev.aeon.controlplane.store.ResourceStore.StateChange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link ResourceStore} must guarantee, whatever the database: account scoping, all-or-nothing
 * mutations with their operation and audit rows, idempotent operation ids, the store's own errors, lifecycle moves
 * applied only from the state the service saw, and signing keys. Each test works in accounts of its own. Subclass it
 * once per implementation.
 */
public abstract class ResourceStoreContract {

    protected abstract ResourceStore store();

    /** A new active signing key as the control plane would store it. */
    protected abstract SigningKeyRow newSigningKey();

    private String account;
    private String other;

    @BeforeEach
    void accounts() {
        account = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        other = account + "-other";
        store().createAccount(account, "Contract");
        store().createAccount(other, "Other");
    }

    // accounts

    @Test
    void anAccountExistsOnceCreatedAndOnlyOnce() {
        assertTrue(store().accountExists(account));
        assertFalse(store().accountExists(account + "-missing"));
        DuplicateKeyException e = assertThrows(DuplicateKeyException.class,
                () -> store().createAccount(account, "Again"));
        assertEquals("account_pkey", e.constraint());
    }

    // reads

    @Test
    void aRowOfAnotherAccountIsNotFound() {
        insert(account, user(id("u-1"), "a@example.com"));

        assertEquals("a@example.com", store().find(UserRow.class, account, id("u-1")).orElseThrow().email);
        assertEquals(Optional.empty(), store().find(UserRow.class, other, id("u-1")));
        assertEquals(Optional.empty(), store().find(UserRow.class, account, id("u-missing")));
    }

    @Test
    void listsAreScopedOrderedByIdPagedAndFiltered() {
        for (String sa : List.of("sa-c", "sa-a", "sa-b", "sa-d")) {
            insert(account, serviceAccount(id(sa), sa.equals("sa-b") ? "builder" : "worker"));
        }
        insert(other, serviceAccount(id("sa-0"), "worker"));

        assertEquals(List.of(id("sa-a"), id("sa-b"), id("sa-c"), id("sa-d")),
                ids(store().list(ServiceAccountRow.class, account, ListFilter.all(), null, 10)));
        assertEquals(List.of(id("sa-a"), id("sa-b")),
                ids(store().list(ServiceAccountRow.class, account, ListFilter.all(), null, 2)));
        assertEquals(List.of(id("sa-c"), id("sa-d")),
                ids(store().list(ServiceAccountRow.class, account, ListFilter.all(), id("sa-b"), 10)));
        assertEquals(List.of(id("sa-a"), id("sa-c"), id("sa-d")), ids(store().list(ServiceAccountRow.class,
                account, new ListFilter(Map.of("name", "worker"), null), null, 10)));
        Map<String, Object> ignoredNull = new java.util.HashMap<>();
        ignoredNull.put("name", null);
        assertEquals(4, store().list(ServiceAccountRow.class, account, new ListFilter(ignoredNull, null), null, 10)
                .size(), "a null value filters nothing");
        assertEquals(List.of(id("sa-b"), id("sa-d")), ids(store().list(ServiceAccountRow.class, account,
                new ListFilter(Map.of(), Set.of(id("sa-b"), id("sa-d"), id("sa-0"))), null, 10)));
        assertEquals(List.of(), store().list(ServiceAccountRow.class, account, new ListFilter(Map.of(), Set.of()),
                null, 10));
    }

    @Test
    void anApiKeysAccountIsFoundByItsIdAlone() {
        insert(account, user(id("u-1"), "a@example.com"));
        insert(account, apiKey("k-" + account, id("u-1")));

        assertEquals(Optional.of(account), store().findApiKeyAccount("k-" + account));
        assertEquals(Optional.empty(), store().findApiKeyAccount("k-missing-" + account));
    }

    // mutations

    @Test
    void anInsertIsVersionOneWithItsOperationAndAuditRow() {
        Mutation.Result result = insert(account, user(id("u-1"), "a@example.com"));

        assertFalse(result.replayed());
        assertEquals(id("u-1"), result.resourceId());
        assertEquals("FULFILLED", result.operation().state);
        UserRow row = store().find(UserRow.class, account, id("u-1")).orElseThrow();
        assertEquals(1, row.resourceVersion);
        assertEquals(account, row.accountId);
        assertEquals(result.operation().id(), row.asyncOperationId);
        assertNotNull(row.createdAt);
        AsyncOperationRow op = store().findOperation(account, result.operation().id()).orElseThrow();
        assertEquals("CreateUser", op.operationType);
        assertEquals("UserRow", op.resourceKind);
        assertEquals(id("u-1"), op.resourceId);
        assertNotNull(op.finishedAt);
        AuditLogRow audit = onlyAudit();
        assertEquals("CreateUser", audit.operation);
        assertEquals(AuditLogRow.USER, audit.resourceType);
        assertEquals(id("u-1"), audit.resourceId);
        assertEquals("k-contract", audit.apiKeyId);
        assertEquals("FULFILLED", audit.operationState);
    }

    @Test
    void aProvisionedChangeStaysPendingAndIsListedUnfinished() {
        Mutation.Result result = insert(account, namespace("orders"), true);

        assertEquals("PENDING", result.operation().state);
        assertNull(result.operation().startedAt);
        assertTrue(claimable().contains(result.operation().id()));
        assertEquals("PENDING", onlyAudit().operationState);
    }

    @Test
    void anUpdateSeesTheCurrentRowAndBumpsTheVersion() {
        insert(account, user(id("u-1"), "a@example.com"));

        store().apply(mutation(account, UserRow.class, id("u-1"), "UpdateUser", current -> {
            assertEquals(1, current.resourceVersion);
            current.spec = "{\"email\":\"a@example.com\",\"changed\":true}";
            return Change.update(current, false);
        }));

        UserRow row = store().find(UserRow.class, account, id("u-1")).orElseThrow();
        assertEquals(2, row.resourceVersion);
        assertTrue(row.spec.contains("changed"));
    }

    @Test
    void decideSeesNoRowOfAnotherAccount() {
        insert(other, user(id("u-theirs"), "b@example.com"));

        Mutation.Result result = store().apply(mutation(account, UserRow.class, id("u-theirs"), "UpdateUser",
                current -> {
                    assertNull(current, "another account's row is no row");
                    return Change.insert(user(id("u-mine"), "b@example.com"), false);
                }));

        assertEquals(id("u-mine"), result.resourceId());
        assertEquals(Optional.empty(), store().find(UserRow.class, account, id("u-theirs")));
    }

    @Test
    void aRetryWithTheSameOperationIdChangesNothingAndIsLoggedAsReplayed() {
        String operationId = "op-" + UUID.randomUUID();
        Mutation.Result first = store().apply(new Mutation<>(UserRow.class, actor(account), id("u-1"), operationId,
                "CreateUser", none -> Change.insert(user(id("u-1"), "a@example.com"), false)));

        Mutation.Result retry = store().apply(new Mutation<>(UserRow.class, actor(account), id("u-2"), operationId,
                "CreateUser", none -> Change.insert(user(id("u-2"), "b@example.com"), false)));

        assertTrue(retry.replayed());
        assertEquals(id("u-1"), retry.resourceId());
        assertEquals(first.operation().id(), retry.operation().id());
        assertEquals(Optional.empty(), store().find(UserRow.class, account, id("u-2")));
        List<AuditLogRow> log = store().auditLog(account, null, null, null, 10);
        assertEquals(2, log.size());
        assertEquals("{\"replayed\":true}", log.get(1).details);
    }

    @Test
    void whatDecideThrowsReachesTheCallerAsItIsAndNothingIsWritten() {
        IllegalArgumentException refusal = new IllegalArgumentException("spec: nothing to change");

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> store().apply(
                mutation(account, UserRow.class, id("u-1"), "CreateUser", none -> {
                    throw refusal;
                })));

        assertSame(refusal, thrown);
        assertEquals(List.of(), store().auditLog(account, null, null, null, 10));
        assertEquals(List.of(), store().list(UserRow.class, account, ListFilter.all(), null, 10));
    }

    @Test
    void aUniqueViolationIsDuplicateKeyNamingTheConstraintAndWritesNothing() {
        insert(account, user(id("u-1"), "a@example.com"));

        DuplicateKeyException e = assertThrows(DuplicateKeyException.class,
                () -> insert(account, user(id("u-2"), "a@example.com")));

        assertEquals("cloud_user_email_unique", e.constraint());
        assertEquals(Optional.empty(), store().find(UserRow.class, account, id("u-2")));
        assertEquals(1, store().auditLog(account, null, null, null, 10).size());
        insert(other, user(id("u-3"), "a@example.com")); // unique within an account only
    }

    @Test
    void removingAnIdentityRemovesItsApiKeysInTheSameChange() {
        insert(account, user(id("u-1"), "a@example.com"));
        insert(account, apiKey("k-1-" + account, id("u-1")));
        insert(account, apiKey("k-2-" + account, id("u-1")));
        insert(account, user(id("u-2"), "b@example.com"));
        insert(account, apiKey("k-3-" + account, id("u-2")));

        store().apply(mutation(account, UserRow.class, id("u-1"), "DeleteUser", Change::remove));

        assertEquals(Optional.empty(), store().find(UserRow.class, account, id("u-1")));
        assertEquals(List.of("k-3-" + account), ids(store().list(ApiKeyRow.class, account, ListFilter.all(), null,
                10)));
        List<AuditLogRow> log = store().auditLog(account, null, null, null, 10);
        assertEquals("{\"deletedApiKeys\":2}", log.get(log.size() - 1).details);
    }

    // audit log

    @Test
    void theAuditLogIsScopedOrderedPagedAndBoundedInTime() {
        insert(account, user(id("u-1"), "a@example.com"));
        AuditLogRow refused = AuditLogRow.of(actor(account), "DeleteUser", AuditLogRow.USER, id("u-9"), null);
        refused.status = "NOT_FOUND";
        refused.errorMessage = "user not found: u-9";
        store().appendAudit(refused);
        insert(other, user(id("u-2"), "b@example.com"));

        List<AuditLogRow> log = store().auditLog(account, null, null, null, 10);
        assertEquals(List.of("CreateUser", "DeleteUser"), log.stream().map(r -> r.operation).toList());
        assertEquals("NOT_FOUND", log.get(1).status);
        assertNull(log.get(1).operationState, "a refused call has no operation");
        assertEquals(List.of("DeleteUser"), store().auditLog(account, null, null, log.get(0).id, 10).stream()
                .map(r -> r.operation).toList());
        assertEquals(1, store().auditLog(account, null, null, null, 1).size());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        assertEquals(2, store().auditLog(account, now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS),
                null, 10).size());
        assertEquals(0, store().auditLog(account, now.plus(1, ChronoUnit.HOURS), null, null, 10).size());
        assertEquals(0, store().auditLog(account, null, now.minus(1, ChronoUnit.HOURS), null, 10).size());
    }

    // operations and the namespace lifecycle

    @Test
    void anOperationIsFoundInItsAccountOnly() {
        Mutation.Result result = insert(account, user(id("u-1"), "a@example.com"));

        assertTrue(store().findOperation(account, result.operation().id()).isPresent());
        assertEquals(Optional.empty(), store().findOperation(other, result.operation().id()));
    }

    @Test
    void anAttemptMarksTheOperationInProgressAndCountsUntilItIsFinished() {
        String op = insert(account, namespace("orders"), true).operation().id();

        AsyncOperationRow first = claim(op, REPLICA);
        assertEquals("IN_PROGRESS", first.state);
        assertEquals(1, first.attempts);
        assertNotNull(first.startedAt);
        assertEquals(REPLICA, first.claimedBy);
        AsyncOperationRow second = claim(op, REPLICA);
        assertEquals(2, second.attempts);
        assertEquals(micros(first.startedAt), micros(second.startedAt), "started once");
        assertTrue(store().findOperation(account, op).orElseThrow().finishedAt == null);

        assertTrue(store().finishNamespaceOperation(account, op, REPLICA, null,
                new StateChange(ns("orders"), ACTIVATING, ACTIVE)));

        assertEquals(Outcome.NOT_CLAIMABLE, store().claimAttempt(account, op, REPLICA, LEASE).outcome());
        assertFalse(claimable().contains(op));
        assertEquals(Outcome.NOT_CLAIMABLE, store().claimAttempt(account, "op-missing", REPLICA, LEASE).outcome());
    }

    // claims: how control-plane replicas share operations

    @Test
    void aClaimKeepsOtherReplicasOutUntilItsLeaseRunsOutAndOnlyTheHolderEndsTheOperation()
            throws InterruptedException {
        String op = insert(account, namespace("orders"), true).operation().id();
        assertTrue(claimable().contains(op), "nobody holds a new operation");

        assertEquals(1, store().claimAttempt(account, op, REPLICA, Duration.ofMillis(500)).operation().attempts);
        assertFalse(claimable().contains(op));
        assertEquals(Outcome.NOT_CLAIMABLE, store().claimAttempt(account, op, OTHER_REPLICA, LEASE).outcome());

        Thread.sleep(700); // the holder died: its lease runs out
        assertTrue(claimable().contains(op));
        AsyncOperationRow takenOver = claim(op, OTHER_REPLICA);
        assertEquals(2, takenOver.attempts);
        assertEquals(OTHER_REPLICA, takenOver.claimedBy);

        // the first holder wakes up: its outcome is not written, the new holder's is
        assertFalse(store().finishNamespaceOperation(account, op, REPLICA, "late", new StateChange(ns("orders"),
                ACTIVATING, "RESOURCE_STATE_ACTIVATION_FAILED")));
        assertEquals("IN_PROGRESS", store().findOperation(account, op).orElseThrow().state);
        assertEquals(ACTIVATING, store().find(NamespaceRow.class, account, ns("orders")).orElseThrow().state);
        assertEquals(Outcome.NOT_CLAIMABLE, store().claimAttempt(account, op, REPLICA, LEASE).outcome());
        assertTrue(store().finishNamespaceOperation(account, op, OTHER_REPLICA, null,
                new StateChange(ns("orders"), ACTIVATING, ACTIVE)));
        assertEquals("FULFILLED", store().findOperation(account, op).orElseThrow().state);
        assertFalse(store().finishNamespaceOperation(account, op, OTHER_REPLICA, null, null), "ended once");
    }

    @Test
    void anOperationWaitsWhileAnotherOfItsResourceIsHeld() {
        String create = insert(account, namespace("orders"), true).operation().id();
        String update = store().apply(mutation(account, NamespaceRow.class, ns("orders"), "UpdateNamespace",
                row -> Change.update(row, true))).operation().id();

        claim(create, REPLICA);
        assertEquals(Outcome.RESOURCE_BUSY, store().claimAttempt(account, update, OTHER_REPLICA, LEASE).outcome());
        assertEquals(Outcome.RESOURCE_BUSY, store().claimAttempt(account, update, REPLICA, LEASE).outcome(),
                "one attempt per resource, on one replica too");
        assertEquals("PENDING", store().findOperation(account, update).orElseThrow().state, "no attempt marked");

        store().finishNamespaceOperation(account, create, REPLICA, null, null);
        assertEquals(1, claim(update, OTHER_REPLICA).attempts);
    }

    @Test
    void releasedClaimsAreFreeAtOnce() {
        String op = insert(account, namespace("orders"), true).operation().id();
        claim(op, REPLICA);

        store().releaseClaims(REPLICA, UserRow.class.getSimpleName());
        assertEquals(Outcome.NOT_CLAIMABLE, store().claimAttempt(account, op, OTHER_REPLICA, LEASE).outcome(),
                "only the kind released");
        store().releaseClaims(REPLICA, NamespaceRow.class.getSimpleName());

        assertTrue(claimable().contains(op));
        assertEquals(2, claim(op, OTHER_REPLICA).attempts);
    }

    @Test
    void replicasClaimingAtOnceLeaveOneHolderPerResource() throws Exception {
        String create = insert(account, namespace("orders"), true).operation().id();
        List<String> ops = new java.util.ArrayList<>(List.of(create));
        for (int i = 0; i < 3; i++) {
            ops.add(store().apply(mutation(account, NamespaceRow.class, ns("orders"), "UpdateNamespace",
                    row -> Change.update(row, true))).operation().id());
        }
        int replicas = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(replicas);
        try {
            for (int round = 0; round < 5; round++) {
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(replicas);
                List<java.util.concurrent.Future<Claim>> claims = new java.util.ArrayList<>();
                for (int r = 0; r < replicas; r++) {
                    String claimant = "replica-" + round + "-" + r;
                    String op = ops.get(r % ops.size());
                    claims.add(pool.submit(() -> {
                        together.await();
                        return store().claimAttempt(account, op, claimant, LEASE);
                    }));
                }
                List<Claim> held = new java.util.ArrayList<>();
                for (java.util.concurrent.Future<Claim> claim : claims) {
                    if (claim.get().held()) {
                        held.add(claim.get());
                    }
                }
                assertEquals(1, held.size(), "round " + round + ": one holder of the resource's operations");
                store().releaseClaims(held.get(0).operation().claimedBy, NamespaceRow.class.getSimpleName());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFinishedOperationAppliesTheStateChangeTheServiceDecided() {
        String op = held(insert(account, namespace("orders"), true).operation().id());

        store().finishNamespaceOperation(account, op, REPLICA, null, new StateChange(ns("orders"), ACTIVATING, ACTIVE));

        assertEquals(ACTIVE, store().find(NamespaceRow.class, account, ns("orders")).orElseThrow().state);
        AsyncOperationRow finished = store().findOperation(account, op).orElseThrow();
        assertEquals("FULFILLED", finished.state);
        assertNull(finished.failureReason);
        assertNotNull(finished.finishedAt);
    }

    @Test
    void aFailedOperationKeepsItsReasonAndAppliesItsChange() {
        String op = held(insert(account, namespace("orders"), true).operation().id());

        store().finishNamespaceOperation(account, op, REPLICA, "the data plane rejected it",
                new StateChange(ns("orders"), ACTIVATING, "RESOURCE_STATE_ACTIVATION_FAILED"));

        assertEquals("RESOURCE_STATE_ACTIVATION_FAILED",
                store().find(NamespaceRow.class, account, ns("orders")).orElseThrow().state);
        AsyncOperationRow failed = store().findOperation(account, op).orElseThrow();
        assertEquals("FAILED", failed.state);
        assertEquals("the data plane rejected it", failed.failureReason);
    }

    @Test
    void aChangeToNoStateRemovesTheNamespace() {
        String op = held(insert(account, namespace("orders"), true).operation().id());

        store().finishNamespaceOperation(account, op, REPLICA, null, new StateChange(ns("orders"), ACTIVATING, null));

        assertEquals(Optional.empty(), store().find(NamespaceRow.class, account, ns("orders")));
        assertEquals("FULFILLED", store().findOperation(account, op).orElseThrow().state);
    }

    @Test
    void aNamespaceNotInTheStateTheServiceSawIsAnInternalErrorAndNothingIsWritten() {
        String op = held(insert(account, namespace("orders"), true).operation().id());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store().finishNamespaceOperation(
                account, op, REPLICA, null, new StateChange(ns("orders"), "RESOURCE_STATE_UPDATING", ACTIVE)));

        assertTrue(e.getMessage().contains(ns("orders")) && e.getMessage().contains(ACTIVATING)
                && e.getMessage().contains("RESOURCE_STATE_UPDATING"), e.getMessage());
        assertEquals(ACTIVATING, store().find(NamespaceRow.class, account, ns("orders")).orElseThrow().state);
        assertEquals("IN_PROGRESS", store().findOperation(account, op).orElseThrow().state);
    }

    @Test
    void aNamespaceWhoseLatestChangeIsAnotherOperationOnlySeesTheOperationEnd() {
        String create = held(insert(account, namespace("orders"), true).operation().id());
        store().apply(mutation(account, NamespaceRow.class, ns("orders"), "UpdateNamespaceTags", row -> {
            row.tags = "{\"team\":\"a\"}";
            return Change.update(row, false);
        }));

        store().finishNamespaceOperation(account, create, REPLICA, null,
                new StateChange(ns("orders"), ACTIVATING, ACTIVE));

        assertEquals(ACTIVATING, store().find(NamespaceRow.class, account, ns("orders")).orElseThrow().state);
        assertEquals("FULFILLED", store().findOperation(account, create).orElseThrow().state);
    }

    // signing keys (shared by every account: these tests leave an active, openable key behind)

    @Test
    void theActiveSigningKeyIsTheLastRotatedAndOlderKeysStayPublishedUntilRetired() {
        SigningKeyRow first = newSigningKey();
        store().rotateSigningKey(first);
        assertEquals(first.kid, store().activeSigningKey(() -> {
            throw new AssertionError("an active key exists: nothing to generate");
        }).kid);
        SigningKeyRow second = newSigningKey();
        store().rotateSigningKey(second);

        assertEquals(second.kid, store().activeSigningKey(this::newSigningKey).kid);
        List<String> published = store().publishedSigningKeys().stream().map(k -> k.kid).toList();
        assertTrue(published.containsAll(List.of(first.kid, second.kid)));
        assertEquals(1, store().signingKeys().stream().filter(k -> k.active).count(), "one active key");

        SigningKeyRow retired = store().retireSigningKey(first.kid).orElseThrow();
        assertNotNull(retired.retiredAt);
        assertFalse(store().publishedSigningKeys().stream().anyMatch(k -> k.kid.equals(first.kid)));
        assertTrue(store().signingKeys().stream().anyMatch(k -> k.kid.equals(first.kid)), "listed, not deleted");
        assertEquals(micros(retired.retiredAt), micros(store().retireSigningKey(first.kid).orElseThrow().retiredAt),
                "retiring twice");
    }

    @Test
    void theActiveSigningKeyComesBackUnretiredAndAMissingOneIsEmpty() {
        SigningKeyRow active = newSigningKey();
        store().rotateSigningKey(active);

        SigningKeyRow answer = store().retireSigningKey(active.kid).orElseThrow();

        assertTrue(answer.active);
        assertNull(answer.retiredAt);
        assertTrue(store().publishedSigningKeys().stream().anyMatch(k -> k.kid.equals(active.kid)));
        assertEquals(Optional.empty(), store().retireSigningKey("sk-missing-" + UUID.randomUUID()));
    }

    @Test
    void aSigningKeysPrivatePartIsReplaced() {
        SigningKeyRow key = newSigningKey();
        store().rotateSigningKey(key);

        store().replaceSigningKeyPrivatePart(key.kid, "replaced-" + key.privateKey);
        assertEquals("replaced-" + key.privateKey, privatePart(key.kid));
        store().replaceSigningKeyPrivatePart(key.kid, key.privateKey); // leave an openable key for other tests
        assertEquals(key.privateKey, privatePart(key.kid));
    }

    // helpers

    private static final String ACTIVATING = "RESOURCE_STATE_ACTIVATING";
    private static final String ACTIVE = "RESOURCE_STATE_ACTIVE";
    private static final String REPLICA = "replica-a";
    private static final String OTHER_REPLICA = "replica-b";
    private static final Duration LEASE = Duration.ofMinutes(1);

    /** What PostgreSQL keeps of a time: a written row's own copy may carry nanoseconds. */
    private static java.time.Instant micros(OffsetDateTime time) {
        return time.toInstant().truncatedTo(ChronoUnit.MICROS);
    }

    private String privatePart(String kid) {
        return store().signingKeys().stream().filter(k -> k.kid.equals(kid)).findFirst().orElseThrow().privateKey;
    }

    /** Ids are primary keys across accounts: each test's are its own. */
    private String id(String local) {
        return local + "-" + account;
    }

    private String ns(String name) {
        return name + "." + account;
    }

    /** This test's namespace operations that no replica holds. */
    private List<String> claimable() {
        return store().claimableOperations(NamespaceRow.class.getSimpleName(), 100_000).stream()
                .filter(op -> op.accountId().equals(account)).map(AsyncOperationRow::id).toList();
    }

    /** Claims an attempt at {@code op} for {@code claimant}, which must get it; the row afterwards. */
    private AsyncOperationRow claim(String op, String claimant) {
        Claim claim = store().claimAttempt(account, op, claimant, LEASE);
        assertEquals(Outcome.HELD, claim.outcome(), claimant + " claims " + op);
        return claim.operation();
    }

    /** {@code op}, held by {@link #REPLICA}. */
    private String held(String op) {
        claim(op, REPLICA);
        return op;
    }

    private AuditLogRow onlyAudit() {
        List<AuditLogRow> log = store().auditLog(account, null, null, null, 10);
        assertEquals(1, log.size());
        return log.get(0);
    }

    private static Actor actor(String accountId) {
        return new Actor(accountId, "user", "u-contract", "k-contract");
    }

    private static <R extends ResourceRow> Mutation<R> mutation(String accountId, Class<R> kind, String id,
                                                                 String type, Function<R, Change<R>> decide) {
        return new Mutation<>(kind, actor(accountId), id, "op-" + UUID.randomUUID(), type, decide);
    }

    private Mutation.Result insert(String accountId, ResourceRow row) {
        return insert(accountId, row, false);
    }

    @SuppressWarnings("unchecked")
    private <R extends ResourceRow> Mutation.Result insert(String accountId, R row, boolean provisioned) {
        String type = "Create" + row.getClass().getSimpleName().replace("Row", "");
        return store().apply(mutation(accountId, (Class<R>) row.getClass(), row.id, type,
                none -> Change.insert(row, provisioned)));
    }

    private static List<String> ids(List<? extends ResourceRow> rows) {
        return rows.stream().map(r -> r.id).toList();
    }

    private static UserRow user(String id, String email) {
        UserRow row = new UserRow();
        row.id = id;
        row.email = email;
        row.spec = "{\"email\":\"" + email + "\"}";
        row.state = ACTIVE;
        return row;
    }

    private static ServiceAccountRow serviceAccount(String id, String name) {
        ServiceAccountRow row = new ServiceAccountRow();
        row.id = id;
        row.name = name;
        row.spec = "{}";
        row.state = ACTIVE;
        return row;
    }

    private static ApiKeyRow apiKey(String id, String ownerId) {
        ApiKeyRow row = new ApiKeyRow();
        row.id = id;
        row.ownerId = ownerId;
        row.ownerType = "user";
        row.tokenSha256 = "0".repeat(64);
        row.spec = "{}";
        row.state = ACTIVE;
        return row;
    }

    private NamespaceRow namespace(String name) {
        NamespaceRow row = new NamespaceRow();
        row.id = ns(name);
        row.name = name;
        row.spec = "{}";
        row.tags = "{}";
        row.state = ACTIVATING;
        return row;
    }
}
