// Package platform brings Lambda's own measurements of each invocation
// (billed duration, memory size and maximum memory used, init and restore
// durations, response latency and size, how the invocation ended) into
// Lumen's traces and metrics, through the Lambda Telemetry API, from inside
// the function's process.
//
// # How
//
// The runtime's internal extension subscribes a listener in the process to
// the Telemetry API (PUT /2022-07-01/telemetry, schema [SchemaVersion],
// platform events only, buffered as the OpenTelemetry Lambda layer does:
// 1000 events, 256 KiB or 25 ms). Lambda POSTs batches of events to it;
// the listener reads them ([ParseBatch]), keeps platform.report,
// platform.runtimeDone, platform.initReport and platform.restoreReport as
// typed values ([Report], [RuntimeDone], [InitReport], [RestoreReport]),
// counts and skips every other type, and queues them, at most
// [WithQueueSize] events; beyond that it drops and counts
// ([WithDropCounter], [Platform.Stats]). What Lambda itself says it
// dropped (platform.logsDropped: Lambda drops a batch while the listener
// is still busy with the one before) is counted as lost too. The listener
// reads a delivery in one pass into the typed values, in a few
// microseconds, and answers at once: a slow listener loses events.
//
// An invocation's report is emitted after the invocation, when the runtime
// asks for the next event, and Lambda freezes the environment then: the
// report of invocation N reaches the listener while invocation N+1 runs
// (or at shutdown). [Platform.Started], called by the runtime as each
// invocation starts, remembers its trigger and the span context of its
// invocation span, for the last [WithTrackedInvocations] invocations, so
// that a report finds them. At the flush point, [Platform.ForceFlush] turns
// what arrived into:
//
//   - spans, with the tracer of [WithTracerProvider]: a [SpanReport]
//     ("lambda.report") child of the invocation span, from the report's
//     time less its duration to its time, with the runtimeDone's and the
//     report's sub-phases (responseLatency, responseDuration,
//     runtimeOverhead, extensionOverhead) as its children and the numbers
//     as attributes ([AttrBilledDurationMS], …); [SpanInit] and
//     [SpanRestore] in the trace of the process's first invocation. This
//     follows AWS's "Converting Lambda Telemetry API Event objects to
//     OpenTelemetry Spans": one span per phase, sub-phases as child spans.
//   - metrics, through the [MetricsSink] of [WithMetricsSink], which gets
//     each event with its invocation's trigger.
//
// The spans are ended before ForceFlush returns, so the trace exporters'
// flush that follows carries them; with a deferring flush strategy they
// wait in the queue for the next flush point that runs. [Platform.Shutdown]
// waits (within its context) for the reports still due, then converts
// everything, so the runtime's final flush on SIGTERM carries the last
// invocation's report too.
//
// # Internal extensions may subscribe
//
// Lambda documents internal extensions as running "as a separate thread
// in the runtime process" and lets "a Lambda extension" subscribe, without
// excluding them; its one restriction on internal extensions is that they
// must not register for SHUTDOWN (and, on Lambda Managed Instances, where
// extensions cannot subscribe to INVOKE, for no event at all). The Runtime
// Interface Emulator, AWS's implementation of these APIs for local runs,
// accepts a subscription from an internal extension as from an external
// one, and AWS's Rust lambda-extension crate subscribes internal
// extensions in Extension::register. Lumen's integration tests subscribe
// one under the emulator. So no separate extension process or layer is
// needed.
//
// # What the runtime must do
//
// During init, before its first GET /2018-06-01/runtime/invocation/next:
//
//  1. Register the internal extension as today: POST
//     /2020-01-01/extension/register, header Lambda-Extension-Name, body
//     {"events":[]} (no events: SHUTDOWN is refused to internal extensions,
//     and on Lambda Managed Instances every event is), and read the
//     Lambda-Extension-Identifier header of the answer.
//  2. Call [Platform.Subscribe] with AWS_LAMBDA_RUNTIME_API and that
//     identifier, after the registration and before the extension's first
//     GET /2020-01-01/extension/event/next: the extension is ready from
//     that call on, and Lambda accepts no subscription once every
//     extension is ready. An error is reported once through the runtime's
//     error handler and the runtime carries on: errors.Is(err,
//     [ErrNotSupported]) is the emulator's classic mode.
//  3. Park the extension on GET /extension/event/next as today.
//
// For each invocation, once its invocation span has started:
// Started(requestID, trigger, span.SpanContext()) (the zero span context
// without tracing).
//
// At every flush point: ForceFlush first, then the exporters' flushers,
// under the same budget (ForceFlush only ends spans and calls the sink; the
// flushers then send them). On SIGTERM, after the callbacks: Shutdown with
// part of the budget (it may wait that long for a last report), then the
// final flush, then the exporters' Shutdown.
package platform
