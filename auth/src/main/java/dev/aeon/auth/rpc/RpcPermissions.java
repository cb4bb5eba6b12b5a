package dev.aeon.auth.rpc;

import dev.aeon.auth.NamespacePermission;

import java.util.Map;
import java.util.Optional;

/**
 * Classifies a gRPC call by its full method name ({@code ServerCall.getMethodDescriptor().getFullMethodName()}):
 * the one lookup the data plane's interceptor makes per call. A method nobody classified is {@link RpcRule.Scope#DENIED},
 * so a method added to Temporal's API is refused until someone decides what it needs.
 */
public final class RpcPermissions {

    public static final String OPERATOR_SERVICE = "temporal.api.operatorservice.v1.OperatorService";
    /**
     * Not a gRPC service: Temporal's name for its Nexus HTTP entry ({@code /nexus/endpoints/{id}/services/...}),
     * which the data plane authorizes like an RPC on the endpoint's target namespace.
     */
    public static final String NEXUS_SERVICE = "temporal.api.nexusservice.v1.NexusService";

    /**
     * OperatorService on the data plane: reading a namespace's search attributes is a namespace read (the Web UI and
     * CLI do it), adding and removing them is namespace administration (a control-plane namespace's change goes to
     * its spec in the control plane). Nexus endpoints are administration, as on Temporal (ADMIN): the data plane shows
     * and changes (through the control plane) only endpoints whose target namespace the caller administers. Deleting a
     * namespace and clusters belong to the control plane's Cloud Ops API.
     */
    private static final Map<String, RpcRule> OPERATOR = Map.of(
            "ListSearchAttributes",
            new RpcRule("ListSearchAttributes", RpcRule.Scope.NAMESPACE, NamespacePermission.READ),
            "AddSearchAttributes",
            new RpcRule("AddSearchAttributes", RpcRule.Scope.NAMESPACE, NamespacePermission.ADMIN),
            "RemoveSearchAttributes",
            new RpcRule("RemoveSearchAttributes", RpcRule.Scope.NAMESPACE, NamespacePermission.ADMIN),
            "GetNexusEndpoint", new RpcRule("GetNexusEndpoint", RpcRule.Scope.ACCOUNT, NamespacePermission.ADMIN),
            "ListNexusEndpoints", new RpcRule("ListNexusEndpoints", RpcRule.Scope.ACCOUNT, NamespacePermission.ADMIN),
            "CreateNexusEndpoint", new RpcRule("CreateNexusEndpoint", RpcRule.Scope.ACCOUNT, NamespacePermission.ADMIN),
            "UpdateNexusEndpoint", new RpcRule("UpdateNexusEndpoint", RpcRule.Scope.ACCOUNT, NamespacePermission.ADMIN),
            "DeleteNexusEndpoint", new RpcRule("DeleteNexusEndpoint", RpcRule.Scope.ACCOUNT, NamespacePermission.ADMIN));

    /** A Nexus request starts or cancels an operation in the target namespace: Temporal's DispatchNexusTask, a write. */
    private static final Map<String, RpcRule> NEXUS = Map.of(
            "DispatchByEndpoint", new RpcRule("DispatchByEndpoint", RpcRule.Scope.NAMESPACE, NamespacePermission.WRITE));

    private RpcPermissions() {
    }

    public static RpcRule forFullMethodName(String fullMethodName) {
        int slash = fullMethodName.lastIndexOf('/');
        String service = slash < 0 ? "" : fullMethodName.substring(0, slash);
        String method = fullMethodName.substring(slash + 1);
        Optional<RpcRule> rule = switch (service) {
            case WorkflowServicePermissions.SERVICE -> WorkflowServicePermissions.forMethod(method);
            case OPERATOR_SERVICE -> Optional.ofNullable(OPERATOR.get(method));
            case NEXUS_SERVICE -> Optional.ofNullable(NEXUS.get(method));
            // Liveness and API discovery carry no tenant data.
            case "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection",
                    "grpc.reflection.v1.ServerReflection" -> Optional.of(new RpcRule(method, RpcRule.Scope.PUBLIC, null));
            default -> Optional.empty();
        };
        return rule.orElseGet(() -> new RpcRule(method, RpcRule.Scope.DENIED, null));
    }
}
