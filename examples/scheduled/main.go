// Command scheduled is a nightly job run by an EventBridge schedule: it
// summarises the day before the scheduled time.
//
// An EventBridge rule with a schedule (ScheduleExpression: cron(0 0 * * ? *);
// in SAM an Events entry of Type: Schedule) invokes it with an "aws.events"
// event whose detail-type is "Scheduled Event" and whose time is the
// scheduled time, not the delivery time: a job that reads it is correct also
// when a delivery is late or retried. (EventBridge Scheduler, SAM's
// ScheduleV2, sends the input configured on the schedule instead.) Lumen marks the
// invocation with faas.trigger "timer". The answer is ignored by
// EventBridge; it is returned here so that a test, a manual invoke and the
// logs show what the run did. An error makes EventBridge retry the
// invocation (Lambda's asynchronous retries), so the job is idempotent: it
// depends only on the event.
//
// testdata/event.json is the event of the run at midnight on 29 November
// 2026; the test in internal/examplestest runs this function under the
// Lambda Runtime Interface Emulator and requires the answer in
// testdata/response.json.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/lumen-rt/lumen/runtime"
)

// Report is what one run did.
type Report struct {
	Rule        string    `json:"rule"`
	ScheduledAt time.Time `json:"scheduledAt"`
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
}

// NotScheduledError is returned for an event that no schedule sent.
type NotScheduledError struct{ Source, DetailType string }

func (e *NotScheduledError) Error() string {
	return fmt.Sprintf("not a scheduled event: source %q, detail-type %q", e.Source, e.DetailType)
}

func handle(ctx context.Context, ev events.EventBridgeEvent) (Report, error) {
	if ev.Source != "aws.events" || ev.DetailType != "Scheduled Event" {
		return Report{}, &NotScheduledError{Source: ev.Source, DetailType: ev.DetailType}
	}
	rule := ""
	if len(ev.Resources) > 0 {
		rule = ev.Resources[0]
	}
	to := ev.Time.UTC().Truncate(24 * time.Hour)
	r := Report{Rule: rule, ScheduledAt: ev.Time.UTC(), From: to.AddDate(0, 0, -1), To: to}
	slog.InfoContext(ctx, "summarised the day", "from", r.From, "to", r.To)
	return r, nil
}

func main() {
	runtime.Start(handle)
}
