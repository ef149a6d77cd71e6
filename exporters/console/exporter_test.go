package console

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var t0 = time.Date(2026, 11, 29, 5, 0, 0, 0, time.UTC)

func sc(tid byte, sid byte) trace.SpanContext {
	return trace.NewSpanContext(trace.SpanContextConfig{
		TraceID:    trace.TraceID{0x57, 0x59, 0xe9, 0x88, 0xbd, 0x86, 0x2e, 0x3f, 0xe1, 0xbe, 0x46, 0xa9, 0x94, 0x27, 0x27, tid},
		SpanID:     trace.SpanID{0, 0, 0, 0, 0, 0, 0, sid},
		TraceFlags: trace.FlagsSampled,
	})
}

func stub(name string, self, parent trace.SpanContext, start, dur time.Duration) tracetest.SpanStub {
	return tracetest.SpanStub{
		Name: name, SpanContext: self, Parent: parent,
		StartTime: t0.Add(start), EndTime: t0.Add(start + dur),
	}
}

// invocationSpans are two invocations' spans, in the order a batch
// processor would export them (children end first), plus an orphan whose
// parent was exported earlier.
func invocationSpans() tracetest.SpanStubs {
	lambda := sc(0x93, 0xff).WithRemote(true)
	inv := stub("GET /hello", sc(0x93, 1), lambda, 0, 12300*time.Microsecond)
	inv.Attributes = []attribute.KeyValue{attribute.Bool("faas.coldstart", true)}
	handle := stub("lumen.handle", sc(0x93, 2), inv.SpanContext, 100*time.Microsecond, 10100*time.Microsecond)
	call := stub("api.example.com GET", sc(0x93, 3), handle.SpanContext, time.Millisecond, 3*time.Millisecond)
	call.Status = sdktrace.Status{Code: codes.Error, Description: "503"}
	db := stub("db.query", sc(0x93, 4), handle.SpanContext, 5*time.Millisecond, 850)
	post := stub("lumen.post", sc(0x93, 5), inv.SpanContext, 10300*time.Microsecond, 1200*time.Microsecond)

	inv2 := stub("GET /slow", sc(0x94, 1), sc(0x94, 0xff).WithRemote(true), 20*time.Millisecond, 1500*time.Millisecond)
	inv2.Status = sdktrace.Status{Code: codes.Error}
	h2 := stub("lumen.handle", sc(0x94, 2), inv2.SpanContext, 21*time.Millisecond, 1490*time.Millisecond)

	orphan := stub("late child", sc(0x95, 7), sc(0x95, 6), 15*time.Millisecond, 42*time.Microsecond)
	return tracetest.SpanStubs{call, db, handle, post, h2, orphan, inv2, inv}
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name  string
		spans tracetest.SpanStubs
	}{
		{name: "invocations", spans: invocationSpans()},
		{name: "single", spans: tracetest.SpanStubs{stub("lone", sc(1, 1), trace.SpanContext{}, 0, 3*time.Second)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			e := New(WithWriter(&out))
			require.NoError(t, e.ExportSpans(t.Context(), tt.spans.Snapshots()))
			golden := filepath.Join("testdata", tt.name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(golden, out.Bytes(), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			require.Equal(t, string(want), out.String())

			// The order of the input does not change the output.
			rev := append(tracetest.SpanStubs(nil), tt.spans...)
			for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
				rev[i], rev[j] = rev[j], rev[i]
			}
			out.Reset()
			require.NoError(t, e.ExportSpans(t.Context(), rev.Snapshots()))
			require.Equal(t, string(want), out.String())
		})
	}
}

// TestWithTracerProvider runs the exporter behind a real TracerProvider: one
// block per export, parent before children.
func TestWithTracerProvider(t *testing.T) {
	var out bytes.Buffer
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(New(WithWriter(&out))))
	ctx, root := tp.Tracer("t").Start(t.Context(), "root")
	_, child := tp.Tracer("t").Start(ctx, "child")
	child.End()
	root.End()
	require.NoError(t, tp.Shutdown(t.Context()))
	// A syncer exports each span as it ends: the child first, alone.
	require.Regexp(t, `^trace 1-[0-9a-f]{8}-[0-9a-f]{24}  child  \S+  ok\ntrace 1-[0-9a-f]{8}-[0-9a-f]{24}  root  \S+  ok\n$`, out.String())
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestErrors(t *testing.T) {
	spans := tracetest.SpanStubs{stub("x", sc(1, 1), trace.SpanContext{}, 0, time.Millisecond)}.Snapshots()
	t.Run("write error", func(t *testing.T) {
		err := New(WithWriter(failWriter{})).ExportSpans(t.Context(), spans)
		require.ErrorContains(t, err, "disk full")
	})
	t.Run("after shutdown", func(t *testing.T) {
		var out bytes.Buffer
		e := New(WithWriter(&out))
		require.NoError(t, e.Shutdown(t.Context()))
		require.NoError(t, e.Shutdown(t.Context()))
		require.ErrorIs(t, e.ExportSpans(t.Context(), spans), ErrShutdown)
		require.Empty(t, out.String())
	})
	t.Run("empty batch writes nothing", func(t *testing.T) {
		var out bytes.Buffer
		require.NoError(t, New(WithWriter(&out)).ExportSpans(t.Context(), nil))
		require.Empty(t, out.String())
	})
	t.Run("force flush honours ctx", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		require.ErrorIs(t, New().ForceFlush(ctx), context.Canceled)
	})
}

func TestDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{850, "850ns"}, {12340, "12.3µs"}, {12345678, "12.3ms"}, {1234567890, "1.23s"}, {-1, "?"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			require.Equal(t, tt.want, string(appendDuration(nil, tt.d)))
		})
	}
}

func BenchmarkExportSpans(b *testing.B) {
	spans := invocationSpans().Snapshots()
	e := New(WithWriter(discard{}))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := e.ExportSpans(b.Context(), spans); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(spans)), "ns/span")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
