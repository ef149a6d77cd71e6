package platform

import "sync/atomic"

// Stats counts what the Platform received and did with it.
type Stats struct {
	// Batches counts the deliveries received.
	Batches uint64
	// Events counts the events read and queued or dropped; Skipped those
	// of the types Lumen does not read.
	Events, Skipped uint64
	// Malformed counts the events left out because they could not be
	// read (a body that is not a JSON array, or too large, counts as one);
	// Incomplete those kept without a span that could not be read.
	Malformed, Incomplete uint64
	// Dropped counts the events the queue had no room for.
	Dropped uint64
	// LambdaDropped counts the events Lambda dropped instead of delivering
	// them, as its platform.logsDropped events say.
	LambdaDropped uint64
	// Reports, RuntimeDones, InitReports, RestoreReports and Logs count the
	// events consumed at the flush point.
	Reports, RuntimeDones, InitReports, RestoreReports, Logs uint64
	// Unmatched counts the reports and runtimeDones whose invocation was
	// not among those tracked: their metrics have no trigger and they get
	// no span.
	Unmatched uint64
}

// counters are the Stats, updated atomically.
type counters struct {
	batches, events, skipped, malformed, incomplete, dropped, lambdaDropped atomic.Uint64
	reports, runtimeDones, initReports, restoreReports, logs, unmatched     atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Batches: c.batches.Load(), Events: c.events.Load(), Skipped: c.skipped.Load(),
		Malformed: c.malformed.Load(), Incomplete: c.incomplete.Load(), Dropped: c.dropped.Load(),
		LambdaDropped: c.lambdaDropped.Load(),
		Reports:       c.reports.Load(), RuntimeDones: c.runtimeDones.Load(), InitReports: c.initReports.Load(),
		RestoreReports: c.restoreReports.Load(), Logs: c.logs.Load(), Unmatched: c.unmatched.Load(),
	}
}
