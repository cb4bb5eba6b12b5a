package main

// Schedules through the Go SDK's ScheduleClient, as Temporal's guides use it: create a schedule that starts Greet
// every second, describe it until it has acted, list it, update its spec, pause and unpause it, trigger it,
// backfill it, delete it; the workflows it started are replayed through the Go SDK's WorkflowReplayer.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
)

func checkSchedules(c client.Client, replayer worker.WorkflowReplayer) {
	ctx := context.Background()
	id := fmt.Sprintf("go-schedule-%d", time.Now().UnixNano())
	workflowID := id + "-wf"
	handle, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:   id,
		Spec: client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: time.Second}}},
		Action: &client.ScheduleWorkflowAction{
			ID: workflowID, Workflow: Greet, Args: []interface{}{"Schedule"}, TaskQueue: taskQueue,
		},
		Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		Memo:    map[string]interface{}{"owner": "go"},
	})
	must(err, "create schedule")

	var described *client.ScheduleDescription
	waitFor("two scheduled actions", func() bool {
		described, err = handle.Describe(ctx)
		must(err, "describe schedule")
		return len(described.Info.RecentActions) >= 2
	})
	for _, action := range described.Info.RecentActions {
		started := action.StartWorkflowResult
		want := workflowID + "-" + action.ScheduleTime.UTC().Truncate(time.Second).Format(time.RFC3339)
		if started.WorkflowID != want {
			fail(fmt.Errorf("started %s, want %s", started.WorkflowID, want), "scheduled workflow id")
		}
		run := c.GetWorkflow(ctx, started.WorkflowID, started.FirstExecutionRunID)
		var greeting string
		must(run.Get(ctx, &greeting), "scheduled result")
		replay(c, replayer, started.WorkflowID, started.FirstExecutionRunID)
	}
	if len(described.Info.NextActionTimes) == 0 {
		fail(fmt.Errorf("no next action times"), "describe schedule")
	}
	fmt.Printf("schedules: %d scheduled workflows started on time and replay in the Go SDK\n",
		len(described.Info.RecentActions))

	found := false
	waitFor("the schedule listed", func() bool {
		iter, err := c.ScheduleClient().List(ctx, client.ScheduleListOptions{PageSize: 100})
		must(err, "list schedules")
		for iter.HasNext() {
			entry, err := iter.Next()
			must(err, "list schedules")
			found = found || entry.ID == id
		}
		return found
	})

	must(handle.Update(ctx, client.ScheduleUpdateOptions{
		DoUpdate: func(input client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			schedule := input.Description.Schedule
			schedule.Spec = &client.ScheduleSpec{CronExpressions: []string{"0 12 * * *"}}
			return &client.ScheduleUpdate{Schedule: &schedule}, nil
		},
	}), "update schedule")
	described, err = handle.Describe(ctx)
	must(err, "describe updated schedule")
	if next := described.Info.NextActionTimes[0].UTC(); next.Hour() != 12 || next.Minute() != 0 {
		fail(fmt.Errorf("next action at %v after the update to noon", next), "update schedule")
	}

	must(handle.Pause(ctx, client.SchedulePauseOptions{Note: "maintenance"}), "pause schedule")
	described, err = handle.Describe(ctx)
	must(err, "describe paused schedule")
	if !described.Schedule.State.Paused || described.Schedule.State.Note != "maintenance" {
		fail(fmt.Errorf("state %+v", described.Schedule.State), "pause schedule")
	}
	actions := described.Info.NumActions
	must(handle.Trigger(ctx, client.ScheduleTriggerOptions{Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL}),
		"trigger schedule")
	from := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	must(handle.Backfill(ctx, client.ScheduleBackfillOptions{Backfill: []client.ScheduleBackfill{
		{Start: from, End: from.Add(48 * time.Hour), Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL},
	}}), "backfill schedule")
	waitFor("the trigger and three backfilled days", func() bool {
		described, err = handle.Describe(ctx)
		must(err, "describe schedule")
		return described.Info.NumActions == actions+4
	})
	backfilled := 0
	for _, action := range described.Info.RecentActions {
		if strings.HasPrefix(action.StartWorkflowResult.WorkflowID, workflowID+"-2024-05-0") {
			backfilled++
		}
	}
	if backfilled != 3 {
		fail(fmt.Errorf("%d backfilled workflows in %v", backfilled, described.Info.RecentActions), "backfill schedule")
	}
	must(handle.Unpause(ctx, client.ScheduleUnpauseOptions{Note: "done"}), "unpause schedule")

	must(handle.Delete(ctx), "delete schedule")
	_, err = handle.Describe(ctx)
	var notFound *serviceerror.NotFound
	if !errors.As(err, &notFound) {
		fail(fmt.Errorf("describe after delete answered %v", err), "delete schedule")
	}
	fmt.Println("schedules: listed, updated, paused, triggered, backfilled and deleted through the Go SDK")
}

func replay(c client.Client, replayer worker.WorkflowReplayer, workflowID, runID string) {
	iter := c.GetWorkflowHistory(context.Background(), workflowID, runID, false, 0)
	history := &historypb.History{}
	for iter.HasNext() {
		event, err := iter.Next()
		must(err, "read history")
		history.Events = append(history.Events, event)
	}
	must(replayer.ReplayWorkflowHistory(nil, history), "replay "+workflowID)
}

func waitFor(what string, done func() bool) {
	for deadline := time.Now().Add(20 * time.Second); !done(); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			fail(fmt.Errorf("not within 20 s"), what)
		}
	}
}
