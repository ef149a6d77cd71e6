package examplestest

import (
	"slices"
	"testing"
	"time"

	"github.com/lumen-rt/lumen/internal/xraytest"
)

// telemetryWait bounds each wait for telemetry that should arrive: a guard
// against hanging, not a measure of speed.
const telemetryWait = 30 * time.Second

// segment is an X-Ray document the stand-in daemon received.
type segment = xraytest.Segment

// waitFor waits until a document satisfies match and returns it with all
// the documents of its trace that arrived so far.
func waitFor(t *testing.T, d *xraytest.Daemon, what string, match func(segment) bool) (segment, []segment) {
	t.Helper()
	docs := d.Await(t, telemetryWait, what, func(docs []segment) bool { return slices.ContainsFunc(docs, match) })
	doc := docs[slices.IndexFunc(docs, match)]
	return doc, xraytest.OfTrace(docs, doc.TraceID)
}
