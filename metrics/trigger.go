package metrics

import "fmt"

// Trigger is the OpenTelemetry faas.trigger value of an invocation, exposed as
// the faas_trigger label. It is a closed enum, so the label has at most five
// values. The zero value is [TriggerOther].
type Trigger uint8

// The faas.trigger values of the OpenTelemetry semantic conventions.
const (
	// TriggerOther is an invocation whose trigger is unknown or none of the
	// others, such as a direct Invoke API call.
	TriggerOther Trigger = iota
	// TriggerDatasource is a reaction to a data source change: S3, DynamoDB
	// streams, Kinesis.
	TriggerDatasource
	// TriggerHTTP is an inbound HTTP request: API Gateway, function URLs,
	// Application Load Balancer.
	TriggerHTTP
	// TriggerPubSub is a message from a queue or topic: SQS, SNS,
	// EventBridge, Kafka.
	TriggerPubSub
	// TriggerTimer is a scheduled invocation: EventBridge Scheduler, cron
	// rules.
	TriggerTimer

	numTriggers = int(TriggerTimer) + 1
)

var triggerNames = [numTriggers]string{
	TriggerOther:      "other",
	TriggerDatasource: "datasource",
	TriggerHTTP:       "http",
	TriggerPubSub:     "pubsub",
	TriggerTimer:      "timer",
}

var _ fmt.Stringer = Trigger(0)

// String returns the semantic-convention value ("http", "pubsub", …).
// Out-of-range values print as "other".
func (t Trigger) String() string { return triggerNames[t.index()] }

// index maps out-of-range values to TriggerOther so a bad value can never
// index out of bounds or create a new label value.
func (t Trigger) index() int {
	if int(t) >= numTriggers {
		return int(TriggerOther)
	}
	return int(t)
}

// ParseTrigger returns the Trigger whose semantic-convention value is s, and
// [TriggerOther] for any other string. It lets callers that infer the trigger
// as a string (the tracing package) hand it to a Recorder.
func ParseTrigger(s string) Trigger {
	for i, name := range triggerNames {
		if name == s {
			return Trigger(i)
		}
	}
	return TriggerOther
}

// AllTriggers returns every Trigger, in declaration order.
func AllTriggers() []Trigger {
	return []Trigger{TriggerOther, TriggerDatasource, TriggerHTTP, TriggerPubSub, TriggerTimer}
}
