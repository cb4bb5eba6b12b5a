package dev.aeon.codec.postgres;

import dev.aeon.codec.keys.DataKey;
import dev.aeon.codec.keys.DataKeyRepository;
import dev.aeon.codec.keys.DuplicateKeyIdException;
import dev.aeon.codec.keys.KeyState;
import dev.aeon.codec.keys.StoredDataKey;
import dev.aeon.codec.keys.WrappedKey;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Data keys in PostgreSQL ({@code codec.data_key}), through Hibernate Reactive. */
@ApplicationScoped
public class PostgresDataKeyRepository implements DataKeyRepository {

    /** First half of the advisory lock key: "Codc", so the codec's locks never meet another component's. */
    private static final int LOCK_CLASS = 0x436F6463;

    @Inject
    Mutiny.SessionFactory sessions;

    @Override
    public List<StoredDataKey> findByNamespace(String namespace) {
        return Reactive.await(() -> sessions.withSession(s -> s
                .createSelectionQuery("from DataKeyEntity where namespace = :ns order by version desc",
                        DataKeyEntity.class)
                .setParameter("ns", namespace)
                .getResultList()
                .map(rows -> rows.stream().map(DataKeyEntity::toStored).toList())));
    }

    /**
     * Invariant: versions of a namespace are distinct and increase with creation order, so "newest enabled" is
     * well defined. Enforced by serializing a namespace's inserts on a transaction-scoped advisory lock (rows that
     * do not exist yet cannot be locked), backed by the unique (namespace, version) constraint.
     */
    @Override
    public DataKey insertNewest(String namespace, String keyId, WrappedKey wrapped, OffsetDateTime createdAt) {
        return Reactive.await(() -> sessions.withTransaction(s -> s
                .createNativeQuery("select 1 from pg_advisory_xact_lock(:lockClass, hashtext(:ns))", Integer.class)
                .setParameter("lockClass", LOCK_CLASS)
                .setParameter("ns", namespace)
                .getSingleResult()
                .chain(() -> s.find(DataKeyEntity.class, new DataKeyEntity.Key(namespace, keyId)))
                .chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().failure(new DuplicateKeyIdException(namespace, keyId));
                    }
                    return s.createSelectionQuery(
                                    "select max(k.version) from DataKeyEntity k where k.namespace = :ns", Integer.class)
                            .setParameter("ns", namespace)
                            .getSingleResultOrNull();
                })
                .chain(max -> {
                    DataKeyEntity row = new DataKeyEntity();
                    row.namespace = namespace;
                    row.keyId = keyId;
                    row.version = max == null ? 1 : max + 1;
                    row.wrappedKey = wrapped.bytes();
                    row.masterKeyId = wrapped.masterKeyId();
                    row.state = KeyState.ENABLED;
                    row.createdAt = createdAt;
                    return s.persist(row).replaceWith(row);
                })
                .map(DataKeyEntity::toKey)));
    }

    @Override
    public Optional<DataKey> updateState(String namespace, String keyId, KeyState state, OffsetDateTime at) {
        return Reactive.await(() -> sessions.withTransaction(s -> s
                .find(DataKeyEntity.class, new DataKeyEntity.Key(namespace, keyId))
                .map(row -> {
                    if (row == null) {
                        return Optional.<DataKey>empty();
                    }
                    if (row.state != state) {
                        row.state = state;
                        row.stateChangedAt = at;
                    }
                    return Optional.of(row.toKey());
                })));
    }
}
