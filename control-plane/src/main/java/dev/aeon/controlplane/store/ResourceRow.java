package dev.aeon.controlplane.store;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import java.time.OffsetDateTime;

/**
 * What every Cloud Ops resource row has: an id, its account, the spec as proto3 JSON, a lifecycle state (the name of
 * Temporal's {@code ResourceState}), and a version that each change increments.
 */
@MappedSuperclass
public abstract class ResourceRow {

    @Id
    public String id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(nullable = false)
    public String spec;

    @Column(nullable = false)
    public String state;

    @Column(name = "resource_version", nullable = false)
    public long resourceVersion;

    @Column(name = "async_operation_id")
    public String asyncOperationId;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
