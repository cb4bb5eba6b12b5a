package dev.aeon.controlplane.store;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The control plane's desired state. Every read and write is scoped by account: a row of another account is
 * indistinguishable from a missing one. Blocking; call from worker threads.
 */
public interface ResourceStore {

    /**
     * Which rows a list returns: attribute equalities (null values ignored) and, when {@code idIn} is not null,
     * only those ids.
     */
    record ListFilter(Map<String, Object> equal, Set<String> idIn) {
        public static ListFilter all() {
            return new ListFilter(Map.of(), null);
        }
    }

    boolean accountExists(String accountId);

    void createAccount(String accountId, String name);

    /** The account of an API key, for internal callers that know only the key id. */
    Optional<String> findApiKeyAccount(String keyId);

    <R extends ResourceRow> Optional<R> find(Class<R> kind, String accountId, String id);

    /** Rows with id greater than {@code afterId} (null: from the first), ordered by id, at most {@code limit}. */
    <R extends ResourceRow> List<R> list(Class<R> kind, String accountId, ListFilter filter, String afterId, int limit);

    /**
     * Applies a mutation atomically with its operation row and its audit log entry. Invariant: one operation id of an
     * account changes at most one resource once; a retry with the same id returns the first operation and changes
     * nothing (the retry is still logged). Removing a user or a service account removes its API keys with it.
     * Whatever {@code decide} throws is thrown as it is, nothing written; a write a unique constraint refuses is
     * {@link DuplicateKeyException}, nothing written.
     */
    <R extends ResourceRow> Mutation.Result apply(Mutation<R> mutation);

    /** Logs a mutation call that changed nothing (it was refused); {@code row} has all but id and time set. */
    void appendAudit(AuditLogRow row);

    /**
     * An account's audit log in the order it was written: entries with id greater than {@code afterId} (null: from the
     * first) emitted in [{@code from}, {@code to}) (null: unbounded), at most {@code limit}, each with its
     * operation's current state.
     */
    List<AuditLogRow> auditLog(String accountId, OffsetDateTime from, OffsetDateTime to,
                               Long afterId, int limit);

    Optional<AsyncOperationRow> findOperation(String accountId, String operationId);

    /**
     * Operations of {@code resourceKind} (a row class's simple name) waiting for the data plane (PENDING or
     * IN_PROGRESS) that no replica holds: never claimed, released, or whose claim's lease ran out. Oldest first, at
     * most {@code limit}.
     */
    List<AsyncOperationRow> claimableOperations(String resourceKind, int limit);

    /** What {@link #claimAttempt} found. */
    record Claim(Outcome outcome, AsyncOperationRow operation) {

        public enum Outcome {
            /** The claimant holds the operation, and {@code operation} is its row with this attempt marked. */
            HELD,
            /** Another unfinished operation of the same resource is held (by any replica): try again later. */
            RESOURCE_BUSY,
            /** The operation is finished, missing, or held by another replica: nothing to do here. */
            NOT_CLAIMABLE
        }

        public boolean held() {
            return outcome == Outcome.HELD;
        }
    }

    /**
     * Claims an attempt at an operation for {@code claimant} (a replica's id): when nobody else holds it and no other
     * unfinished operation of its resource is held, marks the attempt (IN_PROGRESS, attempts + 1, started time on
     * the first) and holds it until {@code lease} from now, by the database's clock. The holder claims again at each
     * attempt, which renews the lease; a claim whose lease ran out may be taken by anyone.
     * <p>
     * Invariant: at most one live claim on the unfinished operations of a resource, so at most one attempt per
     * resource is on its way to the data plane, whichever replicas run them.
     */
    Claim claimAttempt(String accountId, String operationId, String claimant, Duration lease);

    /**
     * Lets go of the unfinished operations of {@code resourceKind} that {@code claimant} holds, so that other replicas
     * may take them at once. Call only when none of them has an attempt under way.
     */
    void releaseClaims(String claimant, String resourceKind);

    /**
     * A move of a resource's lifecycle state that its service decided.
     *
     * @param from the state the service saw; the move applies only from it
     * @param to   the state to store; null removes the row
     */
    record StateChange(String resourceId, String from, String to) {
    }

    /**
     * Ends a provisioning operation that {@code claimant} holds: FULFILLED, or FAILED with {@code failureReason} when
     * that is not null. In the same transaction applies {@code change} (null: none) to the namespace, if the namespace
     * still exists and its latest change is this operation; a namespace that is not in {@code change.from()} then is
     * an internal error (IllegalStateException naming it and both states), and nothing is written.
     *
     * @return false, with nothing written, when the operation is finished or {@code claimant} no longer holds it
     *     (its lease ran out and another replica took it over: that one's attempt decides)
     */
    boolean finishNamespaceOperation(String accountId, String operationId, String claimant, String failureReason,
                                     StateChange change);

    /** Ends a provisioning operation that moves no lifecycle state, as {@link #finishNamespaceOperation} does. */
    default boolean finishOperation(String accountId, String operationId, String claimant, String failureReason) {
        return finishNamespaceOperation(accountId, operationId, claimant, failureReason, null);
    }

    /** The signing key that signs new API keys, creating one with {@code generator} if there is none yet. */
    SigningKeyRow activeSigningKey(java.util.function.Supplier<SigningKeyRow> generator);

    /** Makes {@code next} the active key; the previous one stays published until retired. */
    void rotateSigningKey(SigningKeyRow next);

    /** Every key that may still verify a live API key. */
    List<SigningKeyRow> publishedSigningKeys();

    /** Every signing key, retired ones included, oldest first. */
    List<SigningKeyRow> signingKeys();

    /**
     * Retires a key unless it is the active one: it is no longer published, so API keys it signed stop verifying.
     * Returns the key as it is afterwards (the active key comes back unchanged and not retired: the caller refuses);
     * empty when there is no such key; retiring twice changes nothing.
     */
    Optional<SigningKeyRow> retireSigningKey(String kid);

    /** Replaces a key's stored private part (with its encrypted form). */
    void replaceSigningKeyPrivatePart(String kid, String privateKey);
}
