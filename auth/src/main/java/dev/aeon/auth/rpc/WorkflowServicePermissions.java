package dev.aeon.auth.rpc;

import dev.aeon.auth.NamespacePermission;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The permission every {@code temporal.api.workflowservice.v1.WorkflowService} method needs. READ for describe,
 * list, count, query, history and waiting on results; WRITE for everything that changes executions, schedules,
 * batches, deployments or rules, and for every worker call (polls, responses, heartbeats); ADMIN for namespace
 * administration. A method missing here is refused by {@link RpcPermissions}, and a test fails when the
 * WorkflowService descriptor gains a method this table does not name.
 */
public final class WorkflowServicePermissions {

    public static final String SERVICE = "temporal.api.workflowservice.v1.WorkflowService";

    private static final Map<String, RpcRule> RULES = new TreeMap<>();

    static {
        // Before anything else SDKs ask what the server supports; Temporal answers without credentials too.
        rule(RpcRule.Scope.PUBLIC, null, "GetSystemInfo");
        // Not tied to one namespace: any authenticated caller; the data plane limits results to the caller's account.
        rule(RpcRule.Scope.ACCOUNT, NamespacePermission.READ,
                "ListNamespaces", "GetClusterInfo", "GetSearchAttributes");

        // Namespaces are created by the control plane (Cloud Ops API), which also provisions their auth settings.
        rule(RpcRule.Scope.DENIED, null, "RegisterNamespace");
        namespace(NamespacePermission.ADMIN, "UpdateNamespace", "DeprecateNamespace");

        namespace(NamespacePermission.READ,
                "DescribeNamespace",
                // workflow executions
                "DescribeWorkflowExecution", "GetWorkflowExecutionHistory", "GetWorkflowExecutionHistoryReverse",
                "QueryWorkflow", "PollWorkflowExecutionUpdate",
                "ListWorkflowExecutions", "ListOpenWorkflowExecutions", "ListClosedWorkflowExecutions",
                "ListArchivedWorkflowExecutions", "ScanWorkflowExecutions", "CountWorkflowExecutions",
                // standalone activities and Nexus operations
                "DescribeActivityExecution", "PollActivityExecution", "ListActivityExecutions",
                "CountActivityExecutions",
                "DescribeNexusOperationExecution", "PollNexusOperationExecution", "ListNexusOperationExecutions",
                "CountNexusOperationExecutions",
                // task queues and workers
                "DescribeTaskQueue", "ListTaskQueuePartitions", "ListWorkers", "CountWorkers", "DescribeWorker",
                "FetchWorkerConfig",
                // schedules, batches, rules
                "DescribeSchedule", "ListSchedules", "CountSchedules", "ListScheduleMatchingTimes",
                "DescribeBatchOperation", "ListBatchOperations", "DescribeWorkflowRule", "ListWorkflowRules",
                // versioning and deployments
                "GetWorkerBuildIdCompatibility", "GetWorkerVersioningRules", "GetWorkerTaskReachability",
                "DescribeDeployment", "ListDeployments", "GetDeploymentReachability", "GetCurrentDeployment",
                "DescribeWorkerDeployment", "DescribeWorkerDeploymentVersion", "ListWorkerDeployments");

        namespace(NamespacePermission.WRITE,
                // workflow executions
                "StartWorkflowExecution", "SignalWorkflowExecution", "SignalWithStartWorkflowExecution",
                "ExecuteMultiOperation", "UpdateWorkflowExecution", "UpdateWorkflowExecutionOptions",
                "RequestCancelWorkflowExecution", "TerminateWorkflowExecution", "ResetWorkflowExecution",
                "DeleteWorkflowExecution", "PauseWorkflowExecution", "UnpauseWorkflowExecution",
                // activities inside workflows
                "PauseActivity", "UnpauseActivity", "ResetActivity", "UpdateActivityOptions",
                // standalone activities and Nexus operations
                "StartActivityExecution", "RequestCancelActivityExecution", "TerminateActivityExecution",
                "DeleteActivityExecution", "PauseActivityExecution", "UnpauseActivityExecution",
                "ResetActivityExecution", "UpdateActivityExecutionOptions",
                "StartNexusOperationExecution", "RequestCancelNexusOperationExecution",
                "TerminateNexusOperationExecution", "DeleteNexusOperationExecution",
                // workers: polls, responses, heartbeats
                "PollWorkflowTaskQueue", "RespondWorkflowTaskCompleted", "RespondWorkflowTaskFailed",
                "PollActivityTaskQueue", "RecordActivityTaskHeartbeat", "RecordActivityTaskHeartbeatById",
                "RespondActivityTaskCompleted", "RespondActivityTaskCompletedById", "RespondActivityTaskFailed",
                "RespondActivityTaskFailedById", "RespondActivityTaskCanceled", "RespondActivityTaskCanceledById",
                "PollNexusTaskQueue", "RespondNexusTaskCompleted", "RespondNexusTaskFailed",
                "RespondQueryTaskCompleted", "ResetStickyTaskQueue", "ShutdownWorker", "RecordWorkerHeartbeat",
                "UpdateWorkerConfig", "UpdateTaskQueueConfig",
                // schedules, batches, rules
                "CreateSchedule", "UpdateSchedule", "PatchSchedule", "DeleteSchedule",
                "StartBatchOperation", "StopBatchOperation",
                "CreateWorkflowRule", "DeleteWorkflowRule", "TriggerWorkflowRule",
                // versioning and deployments
                "UpdateWorkerBuildIdCompatibility", "UpdateWorkerVersioningRules", "SetCurrentDeployment",
                "CreateWorkerDeployment", "CreateWorkerDeploymentVersion", "DeleteWorkerDeployment",
                "DeleteWorkerDeploymentVersion", "SetWorkerDeploymentCurrentVersion",
                "SetWorkerDeploymentRampingVersion", "SetWorkerDeploymentManager",
                "UpdateWorkerDeploymentVersionMetadata", "UpdateWorkerDeploymentVersionComputeConfig",
                // a dry run of a compute configuration still reaches out to the tenant's compute provider
                "ValidateWorkerDeploymentVersionComputeConfig");
    }

    private WorkflowServicePermissions() {
    }

    /** The rule for a method's bare name ({@code StartWorkflowExecution}); empty when unclassified. */
    public static Optional<RpcRule> forMethod(String methodName) {
        return Optional.ofNullable(RULES.get(methodName));
    }

    /** Every classified method, by name. */
    public static Map<String, RpcRule> all() {
        return Collections.unmodifiableMap(RULES);
    }

    private static void namespace(NamespacePermission permission, String... methods) {
        rule(RpcRule.Scope.NAMESPACE, permission, methods);
    }

    private static void rule(RpcRule.Scope scope, NamespacePermission permission, String... methods) {
        for (String method : methods) {
            if (RULES.put(method, new RpcRule(method, scope, permission)) != null) {
                throw new IllegalStateException(method + " is classified twice");
            }
        }
    }
}
