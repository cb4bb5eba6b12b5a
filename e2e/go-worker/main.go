// A tenant's Go worker and client, connected to Aeon the way the README shows: API key, the namespace from
// dev.env, TLS off because ./aeon dev serves plaintext. PlatformIT builds and runs it when Go is installed.
//
// It runs what a Go user runs first and checks what only the Go SDK would notice:
//   - a workflow with one activity, and one with a local activity, to completion;
//   - a result wait (run.Get) that outlasts the server's long poll, which must keep waiting, not crash the client;
//   - every finished workflow's history replayed through the Go SDK's WorkflowReplayer: a history that does not
//     replay is a workflow lost at the next worker restart;
//   - each of them listed as completed by ListWorkflow, and counted by CountWorkflow with GROUP BY (visibility);
//   - schedules through the ScheduleClient (schedules.go);
//   - Nexus across namespaces: a sync and a workflow-run operation (nexus.go).
//
// It prints one line per check and exits non-zero on the first failure.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

const taskQueue = "go-worker"

func Greet(ctx workflow.Context, name string) (string, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Second})
	var out string
	err := workflow.ExecuteActivity(ctx, Compose, name).Get(ctx, &out)
	return out, err
}

func GreetLocally(ctx workflow.Context, name string) (string, error) {
	ctx = workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{StartToCloseTimeout: 10 * time.Second})
	var out string
	err := workflow.ExecuteLocalActivity(ctx, Compose, name).Get(ctx, &out)
	return out, err
}

// WaitForRelease waits for the "release" signal: its result wait outlasts any long poll we allow it.
func WaitForRelease(ctx workflow.Context) error {
	workflow.GetSignalChannel(ctx, "release").Receive(ctx, nil)
	return nil
}

func Compose(ctx context.Context, name string) (string, error) { return "Hello, " + name + "!", nil }

func main() {
	c, err := client.Dial(client.Options{
		HostPort:          os.Getenv("AEON_ADDRESS"),
		Namespace:         os.Getenv("AEON_NAMESPACE"),
		Credentials:       client.NewAPIKeyStaticCredentials(os.Getenv("AEON_API_KEY")),
		ConnectionOptions: client.ConnectionOptions{TLSDisabled: true},
	})
	must(err, "dial")
	defer c.Close()
	w := worker.New(c, taskQueue, worker.Options{})
	w.RegisterWorkflow(Greet)
	w.RegisterWorkflow(GreetLocally)
	w.RegisterWorkflow(WaitForRelease)
	w.RegisterActivity(Compose)
	must(w.Start(), "start worker")
	defer w.Stop()

	var finished []client.WorkflowRun
	for _, wf := range []interface{}{Greet, GreetLocally} {
		run, err := c.ExecuteWorkflow(context.Background(), options("go"), wf, "Go")
		must(err, "start")
		var result string
		must(run.Get(context.Background(), &result), "result")
		fmt.Println(result)
		finished = append(finished, run)
	}

	// The server answers a result long poll shortly before the caller's deadline; the SDK must read that answer
	// (an empty history) and keep waiting until its own deadline, as against Temporal's server.
	waiting, err := c.ExecuteWorkflow(context.Background(), options("go-wait"), WaitForRelease)
	must(err, "start waiting workflow")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	err = waiting.Get(ctx, nil)
	cancel()
	// Temporal's server gives the same answer: the client's deadline, as the context's error or the status.
	var deadline *serviceerror.DeadlineExceeded
	if !errors.Is(err, context.DeadlineExceeded) && !errors.As(err, &deadline) {
		fail(fmt.Errorf("a result wait past its deadline answered %v, want a deadline exceeded", err), "long poll")
	}
	must(c.SignalWorkflow(context.Background(), waiting.GetID(), waiting.GetRunID(), "release", nil), "signal")
	must(waiting.Get(context.Background(), nil), "released result")
	fmt.Println("long poll: waited past the server's long poll without a crash")
	finished = append(finished, waiting)

	replayer := worker.NewWorkflowReplayer()
	replayer.RegisterWorkflow(Greet)
	replayer.RegisterWorkflow(GreetLocally)
	replayer.RegisterWorkflow(WaitForRelease)
	for _, run := range finished {
		replay(c, replayer, run.GetID(), run.GetRunID())
	}
	fmt.Printf("replay: %d histories replay in the Go SDK\n", len(finished))

	checkSchedules(c, replayer)
	checkNexus(c, replayer)

	listed := 0
	for _, run := range finished {
		if listedAsCompleted(c, run) {
			listed++
		}
	}
	count, err := c.CountWorkflow(context.Background(), &workflowservice.CountWorkflowExecutionsRequest{
		Query: fmt.Sprintf("WorkflowId = '%s' GROUP BY ExecutionStatus", finished[0].GetID())})
	must(err, "count")
	if count.Count != 1 || len(count.Groups) != 1 {
		fail(fmt.Errorf("count of %s answered %v", finished[0].GetID(), count), "count")
	}
	fmt.Printf("visibility: %d finished workflows listed as completed in the Go SDK\n", listed)
}

// listedAsCompleted waits (visibility follows the commit through the outbox) until ListWorkflow shows the run
// completed.
func listedAsCompleted(c client.Client, run client.WorkflowRun) bool {
	query := fmt.Sprintf("WorkflowId = '%s' AND ExecutionStatus = 'Completed'", run.GetID())
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		page, err := c.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{Query: query})
		must(err, "list")
		for _, info := range page.Executions {
			if info.Execution.RunId == run.GetRunID() {
				return true
			}
		}
	}
	fail(fmt.Errorf("%s was not listed within 10 s", query), "list")
	return false
}

func options(prefix string) client.StartWorkflowOptions {
	return client.StartWorkflowOptions{TaskQueue: taskQueue, ID: fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano())}
}

func must(err error, what string) {
	if err != nil {
		fail(err, what)
	}
}

func fail(err error, what string) {
	fmt.Printf("FAILED %s: %v\n", what, err)
	os.Exit(1)
}
