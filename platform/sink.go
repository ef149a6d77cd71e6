package platform

// MetricsSink receives the events at the flush point, each once, in the
// order they arrived (a batch's runtimeDone before its report). Its
// methods are called from one goroutine at a time and must not block.
// Reports and runtimeDones carry the trigger the runtime passed to
// [Platform.Started] (TriggerOther when their invocation was not tracked).
//
// The metrics package's Recorder is the sink Lumen's telemetry wires in,
// through an adapter: the values here are the events as Lambda sent them,
// the series are the Recorder's business.
type MetricsSink interface {
	RecordReport(Report)
	RecordRuntimeDone(RuntimeDone)
	RecordInitReport(InitReport)
	RecordRestoreReport(RestoreReport)
}
