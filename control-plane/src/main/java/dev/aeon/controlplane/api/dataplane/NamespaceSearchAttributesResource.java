package dev.aeon.controlplane.api.dataplane;

import dev.aeon.auth.NamespaceNames;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.namespace.NamespaceService;
import dev.aeon.controlplane.store.Actor;
import io.temporal.api.cloud.operation.v1.AsyncOperation;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/**
 * {@code POST /internal/v1/namespaces/{namespace}/search-attributes}: Temporal's OperatorService
 * {@code AddSearchAttributes}, called by a tenant on the data plane, applied here to the namespace's spec
 * (docs/internal-api.md). The data plane authorized the caller (ADMIN on the namespace) and names it, so the change
 * is audit-logged as that caller's. A face of the namespace service beside the Cloud Ops ones, hence in {@code api/};
 * under {@code /internal/}, so it takes only the internal token ({@code internal/InternalTokenFilter}).
 */
@Path("/internal/v1/namespaces/{namespace}/search-attributes")
public class NamespaceSearchAttributesResource {

    /**
     * Who asked, as the data plane authenticated it.
     *
     * @param accountId the caller's account; set by calls that name no namespace (Nexus endpoints)
     */
    public record RequestedBy(String principalType, String principalId, String apiKeyId, String accountId) {
    }

    /** @param add search attribute names to their Temporal type names ("Keyword", "KeywordList", ...) */
    public record AddRequest(Map<String, String> add, RequestedBy requestedBy) {
    }

    /** @param asyncOperationId the operation applying the change; null when there was nothing to change */
    public record AddResponse(String namespace, String asyncOperationId) {
    }

    @Inject
    NamespaceService namespaces;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public AddResponse add(@PathParam("namespace") String namespace, AddRequest request) {
        String account = NamespaceNames.accountOf(namespace)
                .orElseThrow(() -> CloudApiException.notFound("namespace", namespace));
        if (request == null || request.requestedBy() == null || isBlank(request.requestedBy().principalType())
                || isBlank(request.requestedBy().principalId())) {
            throw CloudApiException.invalid("requestedBy", "must name the caller (principalType, principalId)");
        }
        RequestedBy by = request.requestedBy();
        Actor actor = new Actor(account, by.principalType(), by.principalId(), by.apiKeyId());
        return new AddResponse(namespace, namespaces.addSearchAttributes(actor, namespace, request.add())
                .map(AsyncOperation::getId).orElse(null));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
