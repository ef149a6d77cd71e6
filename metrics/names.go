package metrics

// Naming. Every metric has a Prometheus name (the faas_* names dashboards
// query, exposed on the registry) and an OpenTelemetry name and unit (what
// [Recorder.Visit] hands the exporters that encode OTLP). The
// OpenTelemetry names are the FaaS semantic conventions' where one exists
// (faas.invoke_duration, faas.init_duration, faas.coldstarts, faas.errors,
// faas.invocations, faas.timeouts, faas.mem_usage); the others follow one
// rule: what describes the function and its invocations is faas.*, what
// describes Lumen's runtime and its telemetry pipeline is lumen.*. Units
// are UCUM: s, By, 1, and {annotation} for counts.
//
// Labels likewise have an OpenTelemetry attribute key: the semantic
// conventions' (faas.trigger, error.type, faas.name) where one exists,
// lumen.* otherwise. A label Lumen does not know (a const label of the
// user's) keeps its name as its key.

// Label names of the Recorder's metrics.
const (
	labelTrigger      = "faas_trigger"
	labelErrorType    = "error_type"
	labelFunctionName = "faas_name"
	labelPhase        = "phase"
	labelExporter     = "exporter"
	labelSignal       = "signal"
	labelFlusher      = "flusher"
	labelStatus       = "status"
	labelInitType     = "init_type"
)

// attributeKeys maps label names to OpenTelemetry attribute keys.
var attributeKeys = map[string]string{
	labelTrigger:      "faas.trigger",
	labelErrorType:    "error.type",
	labelFunctionName: "faas.name",
	labelPhase:        "lumen.phase",
	labelExporter:     "lumen.exporter",
	labelSignal:       "lumen.signal",
	labelFlusher:      "lumen.flusher",
	labelStatus:       "faas.invocation.status",
	labelInitType:     "lumen.init_type",
}

// attributeKey returns the OpenTelemetry attribute key of one of the
// Recorder's own labels.
func attributeKey(label string) string {
	if k, ok := attributeKeys[label]; ok {
		return k
	}
	return label
}

// constLabelKey returns the OpenTelemetry attribute key of a const label,
// or of a label of a gathered metric: faas.name for faas_name, the name
// itself for any other, since it is the user's.
func constLabelKey(label string) string {
	if label == labelFunctionName {
		return attributeKeys[labelFunctionName]
	}
	return label
}

// UCUM units of the Recorder's metrics.
const (
	unitSeconds     = "s"
	unitBytes       = "By"
	unitRatio       = "1"
	unitInvocations = "{invocation}"
)
