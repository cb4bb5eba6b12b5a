// A tenant's Go worker and client, connected to Aeon the way the README shows: API key, the namespace from
// dev.env, TLS off because ./aeon dev serves plaintext. Runs one workflow with one activity and prints its result.
// PlatformIT builds and runs it when Go is installed.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

func Greet(ctx workflow.Context, name string) (string, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Second})
	var out string
	err := workflow.ExecuteActivity(ctx, Compose, name).Get(ctx, &out)
	return out, err
}

func Compose(ctx context.Context, name string) (string, error) { return "Hello, " + name + "!", nil }

func main() {
	c, err := client.Dial(client.Options{
		HostPort:          os.Getenv("AEON_ADDRESS"),
		Namespace:         os.Getenv("AEON_NAMESPACE"),
		Credentials:       client.NewAPIKeyStaticCredentials(os.Getenv("AEON_API_KEY")),
		ConnectionOptions: client.ConnectionOptions{TLSDisabled: true},
	})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	w := worker.New(c, "go-worker", worker.Options{})
	w.RegisterWorkflow(Greet)
	w.RegisterActivity(Compose)
	if err := w.Start(); err != nil {
		panic(err)
	}
	defer w.Stop()
	run, err := c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{TaskQueue: "go-worker", ID: fmt.Sprintf("go-%d", time.Now().UnixNano())}, Greet, "Go")
	if err != nil {
		panic(err)
	}
	var result string
	if err := run.Get(context.Background(), &result); err != nil {
		panic(err)
	}
	fmt.Println(result)
}
