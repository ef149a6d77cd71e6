// Package platforme2e proves Lumen's platform telemetry (package platform)
// end to end under the real Runtime Interface Emulator: in its
// managed-instances mode, which serves a real Telemetry API (schema
// 2025-01-29), the reports of real invocations become metrics and spans
// whose values agree with the emulator's own REPORT lines, in the right
// traces, at the next flush and at SIGTERM; in classic mode, whose
// Telemetry API is a stub, the function carries on and says so once.
//
// The function under test (./testfunc) is runtime.StartWithOptions as it
// is, with the platform package wired in by hand where the runtime is to
// wire it (see package platform's documentation).
package platforme2e
