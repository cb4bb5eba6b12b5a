package dev.aeon.controlplane.store;

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
     * Applies a mutation atomically with its operation row. Invariant: one operation id of an account changes at most
     * one resource once; a retry with the same id returns the first operation and changes nothing.
     */
    <R extends ResourceRow> Mutation.Result apply(Mutation<R> mutation);

    Optional<AsyncOperationRow> findOperation(String accountId, String operationId);

    /** Operations waiting for the data plane (PENDING or IN_PROGRESS), oldest first. */
    List<AsyncOperationRow> unfinishedOperations();

    /** Marks an attempt: IN_PROGRESS, attempts + 1, started time on the first. Empty if the operation is finished. */
    Optional<AsyncOperationRow> startAttempt(String accountId, String operationId);

    /**
     * Ends a namespace's provisioning operation, in one transaction with the namespace's state: FULFILLED makes it
     * ACTIVE (or removes it after a delete), FAILED leaves it in the matching *_FAILED state with the reason.
     */
    void finishNamespaceOperation(String accountId, String operationId, boolean succeeded, String failureReason);

    /** The signing key that signs new API keys, creating one with {@code generator} if there is none yet. */
    SigningKeyRow activeSigningKey(java.util.function.Supplier<SigningKeyRow> generator);

    /** Makes {@code next} the active key; the previous one stays published until retired. */
    void rotateSigningKey(SigningKeyRow next);

    /** Every key that may still verify a live API key. */
    List<SigningKeyRow> publishedSigningKeys();
}
