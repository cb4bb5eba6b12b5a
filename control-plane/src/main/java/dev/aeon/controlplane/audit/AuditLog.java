package dev.aeon.controlplane.audit;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.Timestamps;
import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.operation.AsyncOperations;
import dev.aeon.controlplane.proto.Paging;
import dev.aeon.controlplane.proto.ProtoJson;
import dev.aeon.controlplane.store.Actor;
import dev.aeon.controlplane.store.AuditLogRow;
import dev.aeon.controlplane.store.ResourceStore;
import io.temporal.api.cloud.auditlog.v1.LogRecord;
import io.temporal.api.cloud.cloudservice.v1.GetAuditLogsRequest;
import io.temporal.api.cloud.cloudservice.v1.GetAuditLogsResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The account's audit log: every mutation call, accepted (logged by the store in the change's own transaction, or
 * here for a change the data plane made) or refused (logged here). Read by OWNER and ADMIN only, oldest first.
 */
@ApplicationScoped
public class AuditLog {

    /** The width of {@code resource_id} and {@code async_operation_id}. */
    private static final int ID_WIDTH = 200;

    /** Request fields that name the resource a call is about (the first set one wins), and the kind they name. */
    private static final List<Map.Entry<String, String>> RESOURCE_FIELDS = List.of(
            Map.entry("user_id", AuditLogRow.USER),
            Map.entry("service_account_id", AuditLogRow.SERVICE_ACCOUNT),
            Map.entry("key_id", AuditLogRow.API_KEY),
            Map.entry("endpoint_id", AuditLogRow.NEXUS_ENDPOINT),
            Map.entry("schedule_id", AuditLogRow.SCHEDULE),
            Map.entry("namespace", AuditLogRow.NAMESPACE));
    /** Creates name no resource yet: the kind comes from the RPC. */
    private static final Map<String, String> CREATED_KINDS = Map.of(
            "CreateNamespace", AuditLogRow.NAMESPACE,
            "CreateUser", AuditLogRow.USER,
            "CreateServiceAccount", AuditLogRow.SERVICE_ACCOUNT,
            "CreateApiKey", AuditLogRow.API_KEY,
            "CreateNexusEndpoint", AuditLogRow.NEXUS_ENDPOINT);

    @Inject
    ResourceStore store;

    public GetAuditLogsResponse get(ApiKeyPrincipal p, GetAuditLogsRequest request) {
        OffsetDateTime from = request.hasStartTimeInclusive() ? time(request.getStartTimeInclusive()) : null;
        OffsetDateTime to = request.hasEndTimeExclusive() ? time(request.getEndTimeExclusive()) : null;
        if (from != null && to != null && !from.isBefore(to)) {
            throw CloudApiException.invalid("end_time_exclusive", "must be after start_time_inclusive");
        }
        Paging paging = Paging.of(request.getPageSize(), request.getPageToken());
        Long afterId;
        try {
            afterId = paging.afterId() == null ? null : Long.valueOf(paging.afterId());
        } catch (NumberFormatException e) {
            throw CloudApiException.invalid("page_token", "is not a token this API returned");
        }
        var page = paging.page(store.auditLog(p.accountId(), from, to, afterId, paging.fetchSize()),
                row -> String.valueOf(row.id));
        GetAuditLogsResponse.Builder response = GetAuditLogsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.rows().forEach(row -> response.addLogs(toProto(row)));
        return response.build();
    }

    /** Mutations are every RPC but reads (Get..., the schedule RPCs' Describe, List, Count); only they are logged. */
    public static boolean isMutation(Message request) {
        return !rpc(request).matches("(Get|Describe|List|Count).*");
    }

    /**
     * Logs a mutation the data plane made at once, with no async operation: FULFILLED, as an operation that ended.
     * As for a refusal, only the resource's id is kept, never the request.
     */
    public void recordAccepted(ApiKeyPrincipal p, Message request) {
        Resource resource = resource(request);
        AuditLogRow row = AuditLogRow.of(Actor.of(p), rpc(request), resource.type(),
                storable(resource.id(), ID_WIDTH), null);
        row.status = "FULFILLED";
        store.appendAudit(row);
    }

    /**
     * Logs a mutation call that failed before it changed anything. Only the resource's id and the error are kept,
     * never the request itself (it may carry what must not be stored).
     */
    public void recordRefusal(ApiKeyPrincipal p, Message request, CloudApiException error) {
        Resource resource = resource(request);
        String operationId = stringField(request, "async_operation_id");
        AuditLogRow row = AuditLogRow.of(Actor.of(p), rpc(request), resource.type(), storable(resource.id(), ID_WIDTH),
                operationId.isEmpty() ? null : storable(operationId, ID_WIDTH));
        row.status = error.code().name();
        row.errorMessage = storable(error.getMessage(), Integer.MAX_VALUE);
        if (error.field() != null) {
            row.details = ProtoJson.print(Struct.newBuilder().putFields("field",
                    Value.newBuilder().setStringValue(error.field()).build()));
        }
        store.appendAudit(row);
    }

    private record Resource(String type, String id) {
    }

    /**
     * What a call is about, from the first set field of {@link #RESOURCE_FIELDS}; a schedule's id is unique in its
     * namespace only, so it is logged as {@code <namespace>/<schedule id>}.
     */
    private static Resource resource(Message request) {
        for (Map.Entry<String, String> field : RESOURCE_FIELDS) {
            String value = stringField(request, field.getKey());
            if (!value.isEmpty()) {
                return new Resource(field.getValue(), field.getValue().equals(AuditLogRow.SCHEDULE)
                        ? stringField(request, "namespace") + "/" + value : value);
            }
        }
        return new Resource(CREATED_KINDS.get(rpc(request)), null);
    }

    /**
     * A value a refused request chose, made storable, or the refusal would go unlogged (and padding a request would
     * hide it from the log): PostgreSQL text holds no NUL, and ids have a column width ({@code V3__audit_log.sql}).
     */
    private static String storable(String value, int width) {
        if (value == null) {
            return null;
        }
        String clean = value.replace('\u0000', '\uFFFD');
        return clean.length() <= width ? clean : clean.substring(0, width - 3) + "...";
    }

    private static LogRecord toProto(AuditLogRow row) {
        Struct.Builder details = Struct.newBuilder();
        if (row.details != null) {
            details.mergeFrom(ProtoJson.<Struct>parseStored(row.details, Struct.newBuilder()));
        }
        put(details, "resourceType", row.resourceType);
        put(details, "resourceId", row.resourceId);
        put(details, "error", row.errorMessage);
        LogRecord.Builder log = LogRecord.newBuilder()
                .setLogId(String.valueOf(row.id))
                .setVersion(1)
                .setEmitTime(AsyncOperations.timestamp(row.emittedAt))
                .setOperation(row.operation)
                .setStatus(row.operationState != null ? row.operationState : row.status)
                .setRawDetails(details);
        if (row.asyncOperationId != null) {
            log.setAsyncOperationId(row.asyncOperationId);
        }
        if (row.principalId != null) {
            log.getPrincipalBuilder().setType(row.principalType).setId(row.principalId)
                    .setApiKeyId(row.apiKeyId == null ? "" : row.apiKeyId);
        }
        return log.build();
    }

    private static void put(Struct.Builder details, String name, String value) {
        if (value != null) {
            details.putFields(name, Value.newBuilder().setStringValue(value).build());
        }
    }

    private static String rpc(Message request) {
        return request.getDescriptorForType().getName().replaceFirst("Request$", "");
    }

    private static String stringField(Message request, String name) {
        FieldDescriptor field = request.getDescriptorForType().findFieldByName(name);
        return field != null && field.getJavaType() == FieldDescriptor.JavaType.STRING
                ? (String) request.getField(field) : "";
    }

    private static OffsetDateTime time(com.google.protobuf.Timestamp timestamp) {
        if (!Timestamps.isValid(timestamp)) {
            throw CloudApiException.invalid("start_time_inclusive", "is not a valid timestamp");
        }
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()),
                ZoneOffset.UTC);
    }
}
