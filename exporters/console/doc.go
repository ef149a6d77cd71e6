// Package console prints finished spans as a readable tree, one per trace,
// for demos and local runs (make demo, the Runtime Interface Emulator, a
// developer's terminal). It is not meant for production: use OTLP or X-Ray
// there.
//
// Each ExportSpans call is printed as one block. Within it, spans are grouped
// by trace; a span whose parent is not in the block (Lambda's segment, a
// remote caller, or a parent still running) starts a tree:
//
//	trace 1-5759e988-bd862e3fe1be46a994272793  GET /hello  12.3ms  ok  cold start
//	├─ lumen.handle  10.1ms  ok
//	│  └─ api.example.com GET  3.0ms  error: 503
//	└─ lumen.post  1.2ms  ok
//
// Trees are ordered by start time, then trace and span id, so the output is
// deterministic for a given set of spans. The writer defaults to os.Stderr,
// which keeps the function's stdout (EMF metrics, JSON logs) clean.
package console
