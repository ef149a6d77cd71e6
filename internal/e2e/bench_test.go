package e2e_test

import (
	"net/http"
	"testing"

	"github.com/lumen-rt/lumen/internal/rie"
)

// echoEvent is a 55-byte echo, the payload the runtime reference measured
// aws-lambda-go with.
var echoEvent = []byte(`{"op":"echo","data":{"message":"hello, lambda","n":42}}`)

// BenchmarkClassicEcho measures sequential invocations through the emulator
// over one keep-alive connection: the emulator's own cost included, as a
// caller sees it.
func BenchmarkClassicEcho(b *testing.B) {
	em := rie.StartClassic(b, testfunc(b))
	ctx := b.Context()
	if _, err := em.Invoke(ctx, echoEvent, nil); err != nil { // init
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := em.Invoke(ctx, echoEvent, nil)
		if err != nil || resp.Status != http.StatusOK {
			b.Fatalf("invoke: %v %+v", err, resp)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "invocations/s")
}

// BenchmarkClassicColdStart measures the first invoke of a fresh emulator:
// the emulator execs the runtime, which initialises, polls GET /next and
// answers. Starting the emulator itself is not timed.
func BenchmarkClassicColdStart(b *testing.B) {
	bin := testfunc(b)
	ctx := b.Context()
	for b.Loop() {
		b.StopTimer()
		em := rie.StartClassic(b, bin)
		b.StartTimer()
		resp, err := em.Invoke(ctx, echoEvent, nil)
		if err != nil || resp.Status != http.StatusOK {
			b.Fatalf("invoke: %v %+v", err, resp)
		}
		b.StopTimer()
		em.Stop()
		b.StartTimer()
	}
}
