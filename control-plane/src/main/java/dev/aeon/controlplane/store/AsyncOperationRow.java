package dev.aeon.controlplane.store;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** One mutation of the Cloud Ops API, keyed by (account, client-chosen or generated id). */
@Entity
@Table(name = "async_operation")
public class AsyncOperationRow {

    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "account_id")
        public String accountId;
        @Column(name = "id")
        public String id;

        public Key() {
        }

        public Key(String accountId, String id) {
            this.accountId = accountId;
            this.id = id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(accountId, k.accountId) && Objects.equals(id, k.id);
        }

        @Override
        public int hashCode() {
            return Objects.hash(accountId, id);
        }
    }

    @EmbeddedId
    public Key key;

    @Column(name = "operation_type", nullable = false)
    public String operationType;

    @Column(name = "resource_kind", nullable = false)
    public String resourceKind;

    @Column(name = "resource_id", nullable = false)
    public String resourceId;

    /** The name of {@code AsyncOperation.State} without its {@code STATE_} prefix: PENDING, IN_PROGRESS, ... */
    @Column(nullable = false)
    public String state;

    @Column(name = "failure_reason")
    public String failureReason;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    /** The replica that holds the operation, or last held it (see {@link ResourceStore#claimAttempt}). */
    @Column(name = "claimed_by")
    public String claimedBy;

    /** When that replica's claim lapses, by the database's clock; null when nobody holds it. */
    @Column(name = "claim_expires_at")
    public OffsetDateTime claimExpiresAt;

    public String accountId() {
        return key.accountId;
    }

    public String id() {
        return key.id;
    }
}
