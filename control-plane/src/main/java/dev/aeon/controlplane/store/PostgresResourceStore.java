package dev.aeon.controlplane.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.aeon.controlplane.store.ResourceStore.Claim.Outcome.HELD;
import static dev.aeon.controlplane.store.ResourceStore.Claim.Outcome.NOT_CLAIMABLE;
import static dev.aeon.controlplane.store.ResourceStore.Claim.Outcome.RESOURCE_BUSY;

/** {@link ResourceStore} in PostgreSQL through Hibernate Reactive; callers block on worker threads. */
@ApplicationScoped
public class PostgresResourceStore implements ResourceStore {

    /** First half of advisory lock keys: "Ctrl", so the control plane's locks never meet another component's. */
    private static final int LOCK_CLASS = 0x4374726C;
    private static final int SIGNING_KEY_LOCK = 1;
    /**
     * Advisory locks on a resource's operation claims: "CtrO" and the hash of "kind/id" ({@link String#hashCode} is
     * the same in every JVM). Two resources sharing a hash only wait for each other's claims, never break them.
     */
    private static final int CLAIM_LOCK_CLASS = 0x4374724F;

    private static final Pattern UNIQUE_VIOLATION = Pattern.compile("unique constraint \"([a-z_]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Mutiny.SessionFactory sessions;

    @Override
    public boolean accountExists(String accountId) {
        return await(() -> sessions.withSession(s -> s.find(AccountRow.class, accountId))) != null;
    }

    @Override
    public void createAccount(String accountId, String name) {
        AccountRow account = new AccountRow();
        account.id = accountId;
        account.name = name;
        await(() -> sessions.withTransaction(s -> s.persist(account)));
    }

    @Override
    public Optional<String> findApiKeyAccount(String keyId) {
        return Optional.ofNullable(await(() -> sessions.withSession(s -> s.find(ApiKeyRow.class, keyId)
                .map(row -> row == null ? null : row.accountId))));
    }

    @Override
    public <R extends ResourceRow> Optional<R> find(Class<R> kind, String accountId, String id) {
        return Optional.ofNullable(await(() -> sessions.withSession(s -> s.find(kind, id)
                .map(row -> ofAccount(row, accountId)))));
    }

    @Override
    public <R extends ResourceRow> List<R> list(Class<R> kind, String accountId, ListFilter filter, String afterId,
                                                int limit) {
        if (filter.idIn() != null && filter.idIn().isEmpty()) {
            return List.of();
        }
        StringBuilder hql = new StringBuilder("from ").append(kind.getSimpleName()).append(" where accountId = :account");
        List<Map.Entry<String, Object>> equalities = new ArrayList<>();
        filter.equal().forEach((attribute, value) -> {
            if (value != null) {
                hql.append(" and ").append(attribute).append(" = :p").append(equalities.size());
                equalities.add(Map.entry(attribute, value));
            }
        });
        if (afterId != null) {
            hql.append(" and id > :after");
        }
        if (filter.idIn() != null) {
            hql.append(" and id in (:ids)");
        }
        hql.append(" order by id");
        return await(() -> sessions.withSession(s -> {
            var query = s.createSelectionQuery(hql.toString(), kind).setParameter("account", accountId);
            for (int i = 0; i < equalities.size(); i++) {
                query.setParameter("p" + i, equalities.get(i).getValue());
            }
            if (afterId != null) {
                query.setParameter("after", afterId);
            }
            if (filter.idIn() != null) {
                query.setParameter("ids", filter.idIn());
            }
            return query.setMaxResults(limit).getResultList();
        }));
    }

    @Override
    public <R extends ResourceRow> Mutation.Result apply(Mutation<R> m) {
        AsyncOperationRow.Key key = new AsyncOperationRow.Key(m.accountId(), m.operationId());
        return await(() -> sessions.withTransaction(s -> s.find(AsyncOperationRow.class, key).chain(earlier -> {
            if (earlier != null) {
                AuditLogRow audit = audit(m, earlier, earlier.resourceId);
                audit.details = details(Map.of("replayed", true));
                return s.persist(audit).replaceWith(new Mutation.Result(earlier, earlier.resourceId, true));
            }
            Uni<R> current = m.resourceId() == null ? Uni.createFrom().nullItem()
                    : s.find(m.kind(), m.resourceId()).map(row -> ofAccount(row, m.accountId()));
            return current.chain(row -> {
                Mutation.Change<R> change = decide(m, row);
                OffsetDateTime now = now();
                R target = change.row();
                target.asyncOperationId = m.operationId();
                target.updatedAt = now;
                Uni<Integer> write = switch (change.kind()) {
                    case INSERT -> {
                        target.accountId = m.accountId();
                        target.createdAt = now;
                        target.resourceVersion = 1;
                        yield s.persist(target).replaceWith(0);
                    }
                    case UPDATE -> {
                        target.resourceVersion++;
                        yield Uni.createFrom().item(0);
                    }
                    case REMOVE -> s.remove(target).chain(() -> removeOwnedApiKeys(s, target));
                };
                AsyncOperationRow operation = new AsyncOperationRow();
                operation.key = key;
                operation.operationType = m.operationType();
                operation.resourceKind = m.kind().getSimpleName();
                operation.resourceId = target.id;
                operation.createdAt = now;
                if (change.provisioned()) {
                    operation.state = "PENDING";
                } else {
                    operation.state = "FULFILLED";
                    operation.startedAt = now;
                    operation.finishedAt = now;
                }
                AuditLogRow audit = audit(m, operation, target.id);
                return write.invoke(removedKeys -> {
                    if (removedKeys > 0) {
                        audit.details = details(Map.of("deletedApiKeys", removedKeys));
                    }
                }).chain(() -> s.persist(operation)).chain(() -> s.persist(audit)).chain(s::flush)
                        .replaceWith(new Mutation.Result(operation, target.id, false));
            });
        })));
    }

    /** The caller's decision; whatever it throws reaches the caller as it was thrown (see {@link #await}). */
    private static <R extends ResourceRow> Mutation.Change<R> decide(Mutation<R> m, R current) {
        try {
            return m.decide().apply(current);
        } catch (RuntimeException refused) {
            throw new Refused(refused);
        }
    }

    /** Carries a refusal of {@code decide} through Hibernate Reactive's wrapping, to be thrown unwrapped. */
    private static final class Refused extends RuntimeException {
        Refused(RuntimeException refusal) {
            super(refusal.getMessage(), refusal, false, false);
        }
    }

    /** The audit row's details column: a JSON object. */
    private static String details(Map<String, Object> details) {
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Invariant: an identity's API keys go with it, in the same transaction, so none outlives its owner. */
    private static Uni<Integer> removeOwnedApiKeys(Mutiny.Session s, ResourceRow removed) {
        if (!(removed instanceof UserRow) && !(removed instanceof ServiceAccountRow)) {
            return Uni.createFrom().item(0);
        }
        return s.createSelectionQuery("from ApiKeyRow where accountId = :account and ownerId = :owner", ApiKeyRow.class)
                .setParameter("account", removed.accountId).setParameter("owner", removed.id).getResultList()
                .chain(keys -> s.removeAll(keys.toArray()).replaceWith(keys.size()));
    }

    private static AuditLogRow audit(Mutation<?> m, AsyncOperationRow operation, String resourceId) {
        AuditLogRow audit = AuditLogRow.of(m.actor(), m.operationType(), AuditLogRow.resourceType(m.kind()),
                resourceId, operation.id());
        audit.emittedAt = now();
        audit.status = operation.state;
        return audit;
    }

    @Override
    public void appendAudit(AuditLogRow row) {
        row.emittedAt = now();
        await(() -> sessions.withTransaction(s -> s.persist(row)));
    }

    @Override
    public List<AuditLogRow> auditLog(String accountId, OffsetDateTime from, OffsetDateTime to, Long afterId,
                                      int limit) {
        StringBuilder hql = new StringBuilder("select a, o.state from AuditLogRow a left join AsyncOperationRow o"
                + " on o.key.accountId = a.accountId and o.key.id = a.asyncOperationId and a.errorMessage is null"
                + " where a.accountId = :account");
        if (from != null) {
            hql.append(" and a.emittedAt >= :from");
        }
        if (to != null) {
            hql.append(" and a.emittedAt < :to");
        }
        if (afterId != null) {
            hql.append(" and a.id > :after");
        }
        hql.append(" order by a.id");
        return await(() -> sessions.withSession(s -> {
            var query = s.createSelectionQuery(hql.toString(), Object[].class).setParameter("account", accountId);
            if (from != null) {
                query.setParameter("from", from);
            }
            if (to != null) {
                query.setParameter("to", to);
            }
            if (afterId != null) {
                query.setParameter("after", afterId);
            }
            return query.setMaxResults(limit).getResultList().map(rows -> rows.stream().map(r -> {
                AuditLogRow row = (AuditLogRow) r[0];
                row.operationState = (String) r[1];
                return row;
            }).toList());
        }));
    }

    @Override
    public Optional<AsyncOperationRow> findOperation(String accountId, String operationId) {
        return Optional.ofNullable(await(() -> sessions.withSession(s -> s.find(AsyncOperationRow.class,
                new AsyncOperationRow.Key(accountId, operationId)))));
    }

    @Override
    public List<AsyncOperationRow> claimableOperations(String resourceKind, int limit) {
        return await(() -> sessions.withSession(s -> s.createSelectionQuery(
                        "from AsyncOperationRow where state in ('PENDING', 'IN_PROGRESS') and resourceKind = :kind"
                                + " and (claimExpiresAt is null or claimExpiresAt <= current_timestamp)"
                                + " order by createdAt", AsyncOperationRow.class)
                .setParameter("kind", resourceKind).setMaxResults(limit).getResultList()));
    }

    /**
     * One transaction: lock the claims of the operation's resource (a transaction-scoped advisory lock, released at
     * commit), read the database's clock, then the operation (its row locked) and whether another operation of the
     * resource is held, and claim. The advisory lock is what makes "no other live claim on the resource" hold: two
     * claimers of different operations of one resource would otherwise each miss the other's uncommitted claim.
     * Under it, each statement sees every claim committed before. The row lock orders a claim and a finish.
     */
    @Override
    public Claim claimAttempt(String accountId, String operationId, String claimant, Duration lease) {
        AsyncOperationRow.Key key = new AsyncOperationRow.Key(accountId, operationId);
        return await(() -> sessions.withTransaction(s -> s.createSelectionQuery(
                        "select resourceKind || '/' || resourceId from AsyncOperationRow where key = :key", String.class)
                .setParameter("key", key).getSingleResultOrNull()
                .chain(resource -> resource == null ? Uni.createFrom().item(new Claim(NOT_CLAIMABLE, null))
                        : lock(s, CLAIM_LOCK_CLASS, resource.hashCode())
                        .chain(() -> s.createNativeQuery("select statement_timestamp()", OffsetDateTime.class)
                                .getSingleResult())
                        .chain(now -> s.find(AsyncOperationRow.class, key, LockMode.PESSIMISTIC_WRITE)
                                .chain(op -> claim(s, op, claimant, now, lease))))));
    }

    private static Uni<Claim> claim(Mutiny.Session s, AsyncOperationRow op, String claimant, OffsetDateTime now,
                                    Duration lease) {
        boolean heldElsewhere = op.claimedBy != null && !op.claimedBy.equals(claimant)
                && op.claimExpiresAt != null && op.claimExpiresAt.isAfter(now);
        if (op.finishedAt != null || heldElsewhere) {
            return Uni.createFrom().item(new Claim(NOT_CLAIMABLE, null));
        }
        return s.createSelectionQuery("select count(*) from AsyncOperationRow where key.accountId = :account"
                        + " and resourceKind = :kind and resourceId = :resource and key.id <> :id"
                        + " and finishedAt is null and claimExpiresAt > :now", Long.class)
                .setParameter("account", op.accountId()).setParameter("kind", op.resourceKind)
                .setParameter("resource", op.resourceId).setParameter("id", op.id()).setParameter("now", now)
                .getSingleResult()
                .map(othersHeld -> {
                    if (othersHeld > 0) {
                        return new Claim(RESOURCE_BUSY, null);
                    }
                    op.claimedBy = claimant;
                    op.claimExpiresAt = now.plus(lease);
                    op.state = "IN_PROGRESS";
                    op.attempts++;
                    if (op.startedAt == null) {
                        op.startedAt = now();
                    }
                    return new Claim(HELD, op);
                });
    }

    @Override
    public void releaseClaims(String claimant, String resourceKind) {
        await(() -> sessions.withTransaction(s -> s.createSelectionQuery("from AsyncOperationRow"
                        + " where claimedBy = :claimant and resourceKind = :kind and finishedAt is null",
                        AsyncOperationRow.class)
                .setParameter("claimant", claimant).setParameter("kind", resourceKind).getResultList()
                .invoke(held -> held.forEach(op -> {
                    op.claimedBy = null;
                    op.claimExpiresAt = null;
                }))));
    }

    @Override
    public boolean finishNamespaceOperation(String accountId, String operationId, String claimant,
                                            String failureReason, StateChange change) {
        return await(() -> sessions.withTransaction(s -> s.find(AsyncOperationRow.class,
                new AsyncOperationRow.Key(accountId, operationId), LockMode.PESSIMISTIC_WRITE).chain(op -> {
                    // Invariant: only the holder ends an operation; one that lost its claim leaves it to the new holder.
                    if (op == null || op.finishedAt != null || !claimant.equals(op.claimedBy)) {
                        return Uni.createFrom().item(false);
                    }
                    op.state = failureReason == null ? "FULFILLED" : "FAILED";
                    op.failureReason = failureReason;
                    op.finishedAt = now();
                    if (change == null) {
                        return Uni.createFrom().item(true);
                    }
                    return s.find(NamespaceRow.class, change.resourceId()).chain(namespace -> {
                        if (ofAccount(namespace, accountId) == null
                                || !operationId.equals(namespace.asyncOperationId)) {
                            return Uni.createFrom().voidItem();
                        }
                        if (!namespace.state.equals(change.from())) {
                            throw new IllegalStateException("namespace " + namespace.id + " is " + namespace.state
                                    + ", not " + change.from() + " as operation " + operationId + " expected");
                        }
                        if (change.to() == null) {
                            return s.remove(namespace);
                        }
                        namespace.state = change.to();
                        return Uni.createFrom().voidItem();
                    }).replaceWith(true);
                })));
    }

    @Override
    public SigningKeyRow activeSigningKey(Supplier<SigningKeyRow> generator) {
        SigningKeyRow active = await(() -> sessions.withSession(this::findActiveKey));
        if (active != null) {
            return active;
        }
        SigningKeyRow candidate = generator.get();
        return await(() -> sessions.withTransaction(s -> lockSigningKeys(s).chain(() -> findActiveKey(s))
                .chain(existing -> existing != null ? Uni.createFrom().item(existing)
                        : s.persist(candidate).replaceWith(candidate))));
    }

    @Override
    public void rotateSigningKey(SigningKeyRow next) {
        await(() -> sessions.withTransaction(s -> lockSigningKeys(s)
                .chain(() -> s.createMutationQuery("update SigningKeyRow set active = false where active = true")
                        .executeUpdate())
                .chain(() -> s.persist(next))));
    }

    @Override
    public List<SigningKeyRow> publishedSigningKeys() {
        return await(() -> sessions.withSession(s -> s.createSelectionQuery(
                "from SigningKeyRow where retiredAt is null order by createdAt", SigningKeyRow.class).getResultList()));
    }

    @Override
    public List<SigningKeyRow> signingKeys() {
        return await(() -> sessions.withSession(s -> s.createSelectionQuery(
                "from SigningKeyRow order by createdAt", SigningKeyRow.class).getResultList()));
    }

    @Override
    public Optional<SigningKeyRow> retireSigningKey(String kid) {
        return Optional.ofNullable(await(() -> sessions.withTransaction(s -> lockSigningKeys(s)
                .chain(() -> s.find(SigningKeyRow.class, kid))
                .invoke(row -> {
                    if (row != null && !row.active && row.retiredAt == null) {
                        row.retiredAt = now();
                    }
                }))));
    }

    @Override
    public void replaceSigningKeyPrivatePart(String kid, String privateKey) {
        await(() -> sessions.withTransaction(s -> s.createMutationQuery(
                        "update SigningKeyRow set privateKey = :privateKey where kid = :kid")
                .setParameter("privateKey", privateKey).setParameter("kid", kid).executeUpdate()));
    }

    private Uni<SigningKeyRow> findActiveKey(Mutiny.Session s) {
        return s.createSelectionQuery("from SigningKeyRow where active = true", SigningKeyRow.class)
                .getSingleResultOrNull();
    }

    /** Invariant: one active signing key even when replicas start together; the unique partial index backs it. */
    private static Uni<Integer> lockSigningKeys(Mutiny.Session s) {
        return lock(s, LOCK_CLASS, SIGNING_KEY_LOCK);
    }

    /** A transaction-scoped advisory lock: held until the transaction ends, however it ends. */
    private static Uni<Integer> lock(Mutiny.Session s, int lockClass, int lock) {
        return s.createNativeQuery("select 1 from pg_advisory_xact_lock(:lockClass, :lock)", Integer.class)
                .setParameter("lockClass", lockClass)
                .setParameter("lock", lock)
                .getSingleResult();
    }

    private static <R extends ResourceRow> R ofAccount(R row, String accountId) {
        return row != null && row.accountId.equals(accountId) ? row : null;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /**
     * Runs Hibernate Reactive work from a worker thread and waits. A refusal of a mutation's {@code decide} is thrown
     * as it was thrown; a unique violation becomes {@link DuplicateKeyException}.
     */
    private static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof Refused refused) {
                    throw (RuntimeException) refused.getCause();
                }
                Matcher unique = UNIQUE_VIOLATION.matcher(String.valueOf(c.getMessage()));
                if (unique.find()) {
                    throw new DuplicateKeyException(unique.group(1), t);
                }
            }
            if (t instanceof RuntimeException e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
    }
}
