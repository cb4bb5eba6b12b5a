package main

// Nexus across namespaces, as Temporal's Go guide builds it: a handler worker in a second namespace serves a
// service with a synchronous operation and a workflow-run operation; a caller workflow in the dev namespace calls
// both through the endpoint PlatformIT created over the Cloud Ops API (allowing the dev namespace as its caller).
// The caller's history is replayed through the Go SDK's WorkflowReplayer.

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/nexus-rpc/sdk-go/nexus"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporalnexus"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

const nexusService = "greetings"

var EchoOperation = nexus.NewSyncOperation("echo",
	func(ctx context.Context, name string, options nexus.StartOperationOptions) (string, error) {
		return "Echo, " + name, nil
	})

// HandlerGreeting is the workflow behind the "greet" operation, run in the handler's namespace.
func HandlerGreeting(ctx workflow.Context, name string) (string, error) {
	if err := workflow.Sleep(ctx, 500*time.Millisecond); err != nil {
		return "", err
	}
	return "Hello from the other namespace, " + name, nil
}

var GreetOperation = temporalnexus.NewWorkflowRunOperation("greet", HandlerGreeting,
	func(ctx context.Context, name string, options nexus.StartOperationOptions) (client.StartWorkflowOptions, error) {
		return client.StartWorkflowOptions{ID: fmt.Sprintf("nexus-greet-%s-%d", name, time.Now().UnixNano())}, nil
	})

// NexusCaller calls both operations; the workflow-run one must report its operation token before its result.
func NexusCaller(ctx workflow.Context, endpoint, name string) (string, error) {
	c := workflow.NewNexusClient(endpoint, nexusService)
	var echoed string
	if err := c.ExecuteOperation(ctx, EchoOperation, name, workflow.NexusOperationOptions{}).Get(ctx, &echoed); err != nil {
		return "", err
	}
	greeting := c.ExecuteOperation(ctx, GreetOperation, name, workflow.NexusOperationOptions{
		ScheduleToCloseTimeout: time.Minute})
	var execution workflow.NexusOperationExecution
	if err := greeting.GetNexusOperationExecution().Get(ctx, &execution); err != nil {
		return "", err
	}
	if execution.OperationToken == "" {
		return "", fmt.Errorf("the workflow-run operation started without an operation token")
	}
	var greeted string
	if err := greeting.Get(ctx, &greeted); err != nil {
		return "", err
	}
	return echoed + " / " + greeted, nil
}

func checkNexus(c client.Client, replayer worker.WorkflowReplayer) {
	handlerNamespace, endpoint := os.Getenv("AEON_NEXUS_HANDLER_NAMESPACE"), os.Getenv("AEON_NEXUS_ENDPOINT")
	if handlerNamespace == "" || endpoint == "" {
		fmt.Println("nexus: skipped (AEON_NEXUS_HANDLER_NAMESPACE and AEON_NEXUS_ENDPOINT not set)")
		return
	}
	handlerClient, err := client.Dial(client.Options{
		HostPort:          os.Getenv("AEON_ADDRESS"),
		Namespace:         handlerNamespace,
		Credentials:       client.NewAPIKeyStaticCredentials(os.Getenv("AEON_API_KEY")),
		ConnectionOptions: client.ConnectionOptions{TLSDisabled: true},
	})
	must(err, "dial the handler namespace")
	defer handlerClient.Close()
	service := nexus.NewService(nexusService)
	must(service.Register(EchoOperation, GreetOperation), "register the Nexus operations")
	handlers := worker.New(handlerClient, "nexus-handlers", worker.Options{})
	handlers.RegisterNexusService(service)
	handlers.RegisterWorkflow(HandlerGreeting)
	must(handlers.Start(), "start the handler worker")
	defer handlers.Stop()
	callers := worker.New(c, "nexus-callers", worker.Options{})
	callers.RegisterWorkflow(NexusCaller)
	must(callers.Start(), "start the caller worker")
	defer callers.Stop()

	run, err := c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{TaskQueue: "nexus-callers",
		ID: fmt.Sprintf("nexus-caller-%d", time.Now().UnixNano())}, NexusCaller, endpoint, "Go")
	must(err, "start the Nexus caller")
	var result string
	must(run.Get(context.Background(), &result), "Nexus caller result")
	if want := "Echo, Go / Hello from the other namespace, Go"; result != want {
		fail(fmt.Errorf("answered %q, want %q", result, want), "nexus")
	}
	replayer.RegisterWorkflow(NexusCaller)
	replay(c, replayer, run.GetID(), run.GetRunID())
	fmt.Println("nexus: a Go caller called a sync and a workflow-run operation in another namespace; its history replays")
}
