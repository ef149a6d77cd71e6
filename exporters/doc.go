// Package exporters holds what every Lumen exporter shares. The exporters
// themselves live in the sub-packages, one per destination; each moves
// telemetry out of a process that Lambda may freeze at any moment, exposes
// ForceFlush(ctx) and Shutdown(ctx) bounded by the caller's context, and
// accounts for every item it could not deliver through a [DropCounter].
package exporters
