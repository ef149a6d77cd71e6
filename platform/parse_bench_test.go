package platform_test

import (
	"testing"
	"time"

	"github.com/lumen-rt/lumen/platform"
)

// benchBatches are the deliveries of one invocation, as Lambda and the
// emulator send them, and the emulator's first delivery (init and two
// invocations).
func benchBatches(b *testing.B) []struct {
	name string
	body []byte
} {
	return []struct {
		name string
		body []byte
	}{
		// platform.start, platform.runtimeDone with two spans,
		// platform.report with one, as Lambda sends them.
		{name: "lambda", body: invocationBatch("0a1b2c3d-0000-4000-8000-000000000001", time.Now())},
		// platform.start, a function log line (not subscribed to by
		// default: skipped), platform.report with two spans, as Lambda
		// Managed Instances (and the emulator) send them.
		{name: "managed", body: readBatch(b, "emulator/managed-function-logs.json")},
		// The init events, then two invocations.
		{name: "managed-init", body: readBatch(b, "emulator/managed-init-and-two-invocations.json")},
	}
}

// The cost of reading one delivery, in the listener, off the hot path
// (while the next invocation runs).
func BenchmarkParseBatch(b *testing.B) {
	for _, bb := range benchBatches(b) {
		b.Run(bb.name, func(b *testing.B) {
			b.SetBytes(int64(len(bb.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := platform.ParseBatch(bb.body, false); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
