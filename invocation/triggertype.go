package invocation

import "fmt"

// Trigger is the OpenTelemetry faas.trigger value of an invocation: what
// kind of event started it. It is a closed enum, so a metric label made of
// it has at most five values. The zero value is [TriggerOther].
type Trigger uint8

// The faas.trigger values of the OpenTelemetry semantic conventions.
const (
	// TriggerOther is an invocation whose trigger is unknown or none of the
	// others, such as a direct Invoke API call.
	TriggerOther Trigger = iota
	// TriggerDatasource is a reaction to a data source change: S3, DynamoDB
	// streams.
	TriggerDatasource
	// TriggerHTTP is an inbound HTTP request: API Gateway, function URLs,
	// Application Load Balancer.
	TriggerHTTP
	// TriggerPubSub is a message from a queue or topic: SQS, SNS,
	// EventBridge, Kinesis.
	TriggerPubSub
	// TriggerTimer is a scheduled invocation: EventBridge schedules.
	TriggerTimer

	// NumTriggers is the number of Trigger values, for arrays indexed by
	// trigger.
	NumTriggers = int(TriggerTimer) + 1
)

var triggerNames = [NumTriggers]string{
	TriggerOther:      "other",
	TriggerDatasource: "datasource",
	TriggerHTTP:       "http",
	TriggerPubSub:     "pubsub",
	TriggerTimer:      "timer",
}

var _ fmt.Stringer = Trigger(0)

// String returns the semantic-convention value ("http", "pubsub", …).
// Out-of-range values print as "other".
func (t Trigger) String() string { return triggerNames[t.Index()] }

// Index returns t as an array index in [0, NumTriggers): out-of-range values
// map to [TriggerOther], so a bad value can never index out of bounds or
// create a new label value.
func (t Trigger) Index() int {
	if int(t) >= NumTriggers {
		return int(TriggerOther)
	}
	return int(t)
}

// ParseTrigger returns the Trigger whose semantic-convention value is s, and
// [TriggerOther] for any other string.
func ParseTrigger(s string) Trigger {
	for i, name := range triggerNames {
		if name == s {
			return Trigger(i)
		}
	}
	return TriggerOther
}

// Triggers returns every Trigger, in declaration order.
func Triggers() []Trigger {
	return []Trigger{TriggerOther, TriggerDatasource, TriggerHTTP, TriggerPubSub, TriggerTimer}
}
