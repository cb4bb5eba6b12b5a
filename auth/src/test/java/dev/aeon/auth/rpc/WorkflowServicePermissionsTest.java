package dev.aeon.auth.rpc;

import dev.aeon.auth.NamespacePermission;
import io.grpc.MethodDescriptor;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every WorkflowService method is classified, so a method new in Temporal's API cannot slip through unchecked. */
class WorkflowServicePermissionsTest {

    @Test
    void everyMethodOfTheDescriptorIsClassifiedAndNoOtherName() {
        Set<String> descriptor = WorkflowServiceGrpc.getServiceDescriptor().getMethods().stream()
                .map(MethodDescriptor::getBareMethodName)
                .collect(Collectors.toCollection(TreeSet::new));

        Set<String> unclassified = new TreeSet<>(descriptor);
        unclassified.removeAll(WorkflowServicePermissions.all().keySet());
        assertEquals(Set.of(), unclassified, "classify these in WorkflowServicePermissions");
        Set<String> unknown = new TreeSet<>(WorkflowServicePermissions.all().keySet());
        unknown.removeAll(descriptor);
        assertEquals(Set.of(), unknown, "these names are not WorkflowService methods");
    }

    @Test
    void theServiceNameMatchesTheDescriptor() {
        assertEquals(WorkflowServiceGrpc.SERVICE_NAME, WorkflowServicePermissions.SERVICE);
        assertEquals(OperatorServiceGrpc.SERVICE_NAME, RpcPermissions.OPERATOR_SERVICE);
    }

    @Test
    void readsWritesAndAdministration() {
        assertRule("DescribeNamespace", RpcRule.Scope.NAMESPACE, NamespacePermission.READ);
        assertRule("QueryWorkflow", RpcRule.Scope.NAMESPACE, NamespacePermission.READ);
        assertRule("GetWorkflowExecutionHistory", RpcRule.Scope.NAMESPACE, NamespacePermission.READ);
        assertRule("CountWorkflowExecutions", RpcRule.Scope.NAMESPACE, NamespacePermission.READ);
        assertRule("StartWorkflowExecution", RpcRule.Scope.NAMESPACE, NamespacePermission.WRITE);
        assertRule("SignalWithStartWorkflowExecution", RpcRule.Scope.NAMESPACE, NamespacePermission.WRITE);
        assertRule("TerminateWorkflowExecution", RpcRule.Scope.NAMESPACE, NamespacePermission.WRITE);
        assertRule("RegisterNamespace", RpcRule.Scope.DENIED, null); // the control plane creates namespaces
        assertRule("UpdateNamespace", RpcRule.Scope.NAMESPACE, NamespacePermission.ADMIN);
        assertRule("DeprecateNamespace", RpcRule.Scope.NAMESPACE, NamespacePermission.ADMIN);
        assertRule("GetSystemInfo", RpcRule.Scope.PUBLIC, null);
        assertRule("ListNamespaces", RpcRule.Scope.ACCOUNT, NamespacePermission.READ);
    }

    @Test
    void everyWorkerCallNeedsWrite() {
        WorkflowServicePermissions.all().values().stream()
                .filter(rule -> rule.method().startsWith("Poll") && rule.method().endsWith("TaskQueue")
                        || rule.method().startsWith("Respond") || rule.method().startsWith("RecordActivityTaskHeartbeat")
                        || rule.method().equals("ResetStickyTaskQueue") || rule.method().equals("ShutdownWorker"))
                .forEach(rule -> assertEquals(NamespacePermission.WRITE, rule.permission(), rule.method()));
    }

    @Test
    void fullMethodNamesAreClassifiedAndUnknownOnesDenied() {
        assertEquals(NamespacePermission.WRITE, RpcPermissions.forFullMethodName(
                WorkflowServiceGrpc.getStartWorkflowExecutionMethod().getFullMethodName()).permission());
        assertEquals(RpcRule.Scope.PUBLIC, RpcPermissions.forFullMethodName("grpc.health.v1.Health/Check").scope());
        assertEquals(RpcRule.Scope.NAMESPACE, RpcPermissions.forFullMethodName(
                OperatorServiceGrpc.getListSearchAttributesMethod().getFullMethodName()).scope());
        assertEquals(NamespacePermission.READ, RpcPermissions.forFullMethodName(
                OperatorServiceGrpc.getListSearchAttributesMethod().getFullMethodName()).permission());
        assertEquals(NamespacePermission.ADMIN, RpcPermissions.forFullMethodName(
                OperatorServiceGrpc.getAddSearchAttributesMethod().getFullMethodName()).permission());
        assertEquals(NamespacePermission.ADMIN, RpcPermissions.forFullMethodName(
                OperatorServiceGrpc.getRemoveSearchAttributesMethod().getFullMethodName()).permission());
        // Nexus endpoints: ADMIN of the endpoint's target, checked by the data plane against the endpoint
        assertEquals(new RpcRule("CreateNexusEndpoint", RpcRule.Scope.ACCOUNT, NamespacePermission.ADMIN),
                RpcPermissions.forFullMethodName(OperatorServiceGrpc.getCreateNexusEndpointMethod().getFullMethodName()));
        assertEquals(RpcRule.Scope.DENIED, RpcPermissions.forFullMethodName(
                OperatorServiceGrpc.getDeleteNamespaceMethod().getFullMethodName()).scope());
        assertEquals(RpcRule.Scope.DENIED, RpcPermissions.forFullMethodName(
                WorkflowServicePermissions.SERVICE + "/SomethingNew").scope());
        assertTrue(RpcPermissions.forFullMethodName("nonsense").scope() == RpcRule.Scope.DENIED);
    }

    private static void assertRule(String method, RpcRule.Scope scope, NamespacePermission permission) {
        RpcRule rule = WorkflowServicePermissions.forMethod(method).orElseThrow();
        assertEquals(scope, rule.scope(), method);
        assertEquals(permission, rule.permission(), method);
    }
}
