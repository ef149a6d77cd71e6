package metrics

import "github.com/lumen-rt/lumen/invocation"

// Trigger is the OpenTelemetry faas.trigger value of an invocation, exposed
// as the faas_trigger label: package invocation's closed enum, so the label
// has at most five values. The zero value is [TriggerOther].
type Trigger = invocation.Trigger

// The faas.trigger values of the OpenTelemetry semantic conventions.
const (
	TriggerOther      = invocation.TriggerOther
	TriggerDatasource = invocation.TriggerDatasource
	TriggerHTTP       = invocation.TriggerHTTP
	TriggerPubSub     = invocation.TriggerPubSub
	TriggerTimer      = invocation.TriggerTimer

	numTriggers = invocation.NumTriggers
)

// triggerNames indexes the label values by trigger.
var triggerNames = func() (names [numTriggers]string) {
	for _, t := range invocation.Triggers() {
		names[t] = t.String()
	}
	return names
}()

// ParseTrigger returns the Trigger whose semantic-convention value is s, and
// [TriggerOther] for any other string.
//
// Deprecated: the runtime's invocation.Event carries a Trigger already; use
// [invocation.ParseTrigger] for strings.
func ParseTrigger(s string) Trigger { return invocation.ParseTrigger(s) }

// AllTriggers returns every Trigger, in declaration order.
func AllTriggers() []Trigger { return invocation.Triggers() }
