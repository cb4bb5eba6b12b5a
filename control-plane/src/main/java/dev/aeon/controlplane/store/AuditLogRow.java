package dev.aeon.controlplane.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import java.time.OffsetDateTime;
import java.util.Map;

/** One mutation call of the Cloud Ops API, accepted or refused. Written once, never updated. */
@Entity
@Table(name = "audit_log")
public class AuditLogRow {

    /** The audit log's names of resource kinds. */
    public static final String NAMESPACE = "namespace";
    public static final String USER = "user";
    public static final String SERVICE_ACCOUNT = "service-account";
    public static final String API_KEY = "api-key";
    public static final String NEXUS_ENDPOINT = "nexus-endpoint";
    /** A namespace's schedule, which the data plane holds; its id is {@code <namespace>/<schedule id>}. */
    public static final String SCHEDULE = "schedule";

    private static final Map<Class<?>, String> RESOURCE_TYPES = Map.of(NamespaceRow.class, NAMESPACE,
            UserRow.class, USER, ServiceAccountRow.class, SERVICE_ACCOUNT, ApiKeyRow.class, API_KEY,
            NexusEndpointRow.class, NEXUS_ENDPOINT);

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(name = "emitted_at", nullable = false)
    public OffsetDateTime emittedAt;

    @Column(nullable = false)
    public String operation;

    @Column(name = "principal_type")
    public String principalType;

    @Column(name = "principal_id")
    public String principalId;

    @Column(name = "api_key_id")
    public String apiKeyId;

    @Column(name = "resource_type")
    public String resourceType;

    @Column(name = "resource_id")
    public String resourceId;

    @Column(name = "async_operation_id")
    public String asyncOperationId;

    /** The async operation's state when the call ended (PENDING, FULFILLED, ...), or the error's code. */
    @Column(nullable = false)
    public String status;

    @Column(name = "error_message")
    public String errorMessage;

    /** Proto3 JSON of a {@code google.protobuf.Struct}, or null. */
    @Column
    public String details;

    /** Filled by reads: the state of an accepted change's async operation now; null for a refused call. */
    @Transient
    public String operationState;

    public static AuditLogRow of(Actor actor, String operation, String resourceType, String resourceId,
                                 String asyncOperationId) {
        AuditLogRow row = new AuditLogRow();
        row.accountId = actor.accountId();
        row.principalType = actor.principalType();
        row.principalId = actor.principalId();
        row.apiKeyId = actor.apiKeyId();
        row.operation = operation;
        row.resourceType = resourceType;
        row.resourceId = resourceId;
        row.asyncOperationId = asyncOperationId;
        return row;
    }

    public static String resourceType(Class<? extends ResourceRow> kind) {
        return RESOURCE_TYPES.get(kind);
    }
}
