package dev.aeon.codec.postgres;

import dev.aeon.codec.keys.DataKey;
import dev.aeon.codec.keys.KeyState;
import dev.aeon.codec.keys.StoredDataKey;
import dev.aeon.codec.keys.WrappedKey;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** One row of {@code codec.data_key}. */
@Entity
@Table(schema = "codec", name = "data_key")
@IdClass(DataKeyEntity.Key.class)
public class DataKeyEntity {

    @Id
    public String namespace;

    @Id
    @Column(name = "key_id")
    public String keyId;

    @Column(nullable = false)
    public int version;

    @Column(name = "wrapped_key", nullable = false)
    public byte[] wrappedKey;

    @Column(name = "master_key_id", nullable = false)
    public String masterKeyId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public KeyState state;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "state_changed_at")
    public OffsetDateTime stateChangedAt;

    DataKey toKey() {
        return new DataKey(namespace, keyId, version, state, createdAt, stateChangedAt);
    }

    StoredDataKey toStored() {
        return new StoredDataKey(toKey(), new WrappedKey(masterKeyId, wrappedKey));
    }

    public static class Key implements Serializable {
        public String namespace;
        public String keyId;

        public Key() {
        }

        Key(String namespace, String keyId) {
            this.namespace = namespace;
            this.keyId = keyId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.namespace.equals(namespace) && k.keyId.equals(keyId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(namespace, keyId);
        }
    }
}
