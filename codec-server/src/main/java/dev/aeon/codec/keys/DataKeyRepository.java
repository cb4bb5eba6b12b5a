package dev.aeon.codec.keys;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Where namespaces' data keys are kept, always wrapped. Calls block; callers run on worker threads.
 */
public interface DataKeyRepository {

    /** Every key of the namespace, newest (highest version) first; empty if it has none. */
    List<StoredDataKey> findByNamespace(String namespace);

    /**
     * Adds a key as the namespace's newest: its version is one more than the highest so far, assigned atomically
     * with the insert (concurrent rotations get distinct versions).
     *
     * @throws DuplicateKeyIdException if the namespace already has {@code keyId}
     */
    DataKey insertNewest(String namespace, String keyId, WrappedKey wrapped, OffsetDateTime createdAt);

    /** @return the key after the change, or empty if the namespace has no such key */
    Optional<DataKey> updateState(String namespace, String keyId, KeyState state, OffsetDateTime at);
}
