package dev.aeon.controlplane.operation;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.store.AsyncOperationRow;
import dev.aeon.controlplane.store.ResourceRow;
import dev.aeon.controlplane.store.ResourceStore;
import io.temporal.api.cloud.cloudservice.v1.GetAsyncOperationRequest;
import io.temporal.api.cloud.cloudservice.v1.GetAsyncOperationResponse;
import io.temporal.api.cloud.operation.v1.AsyncOperation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Async operations as clients see them, and the checks every mutation makes before it is recorded. */
@ApplicationScoped
public class AsyncOperations {

    private static final int MAX_ID_LENGTH = 200;

    @Inject
    ResourceStore store;

    public GetAsyncOperationResponse get(ApiKeyPrincipal p, GetAsyncOperationRequest request) {
        String id = request.getAsyncOperationId();
        if (id.isBlank()) {
            throw CloudApiException.invalid("async_operation_id", "is required");
        }
        AsyncOperationRow row = store.findOperation(p.accountId(), id)
                .orElseThrow(() -> CloudApiException.notFound("async operation", id));
        return GetAsyncOperationResponse.newBuilder().setAsyncOperation(toProto(row)).build();
    }

    /** The client's id (which makes retries idempotent), or a new one. */
    public static String operationId(String requested) {
        if (requested == null || requested.isEmpty()) {
            return UUID.randomUUID().toString();
        }
        if (requested.length() > MAX_ID_LENGTH || requested.isBlank()) {
            throw CloudApiException.invalid("async_operation_id", "must be 1-" + MAX_ID_LENGTH
                    + " non-blank characters");
        }
        return requested;
    }

    /** Invariant: a change applies only to the version the client read; a stale one is rejected and nothing applied. */
    public static void requireVersion(ResourceRow current, String requested) {
        if (requested == null || requested.isEmpty()) {
            throw CloudApiException.invalid("resource_version", "is required (read it from the resource first)");
        }
        if (!requested.equals(String.valueOf(current.resourceVersion))) {
            throw CloudApiException.failedPrecondition("resource_version", "resource_version: " + requested
                    + " is stale, the current version is " + current.resourceVersion
                    + "; read the resource again and retry");
        }
    }

    public static AsyncOperation toProto(AsyncOperationRow row) {
        AsyncOperation.Builder op = AsyncOperation.newBuilder()
                .setId(row.id())
                .setState(AsyncOperation.State.valueOf("STATE_" + row.state))
                .setStateDeprecated(row.state.toLowerCase(java.util.Locale.ROOT))
                .setOperationType(row.operationType)
                .setCheckDuration(Duration.newBuilder().setSeconds(1));
        if (row.failureReason != null) {
            op.setFailureReason(row.failureReason);
        }
        if (row.startedAt != null) {
            op.setStartedTime(timestamp(row.startedAt));
        }
        if (row.finishedAt != null) {
            op.setFinishedTime(timestamp(row.finishedAt));
        }
        return op.build();
    }

    public static Timestamp timestamp(OffsetDateTime time) {
        return Timestamp.newBuilder().setSeconds(time.toEpochSecond()).setNanos(time.getNano()).build();
    }
}
