package tracing_test

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	contribxray "go.opentelemetry.io/contrib/propagators/aws/xray"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/tracing"
)

// TestIDGeneratorLayout checks Lumen's generator against the contrib one it
// replaces: the same layout (Unix seconds in the first four bytes), ids that
// X-Ray accepts, and no repeats.
func TestIDGeneratorLayout(t *testing.T) {
	for _, tt := range []struct {
		name string
		gen  sdktrace.IDGenerator
	}{
		{"lumen", tracing.IDGenerator{}},
		{"contrib", contribxray.NewIDGenerator()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			seen := map[trace.TraceID]bool{}
			for range 1000 {
				before := time.Now().Unix()
				tid, sid := tt.gen.NewIDs(t.Context())
				after := time.Now().Unix()
				require.True(t, tid.IsValid())
				require.True(t, sid.IsValid())
				epoch := int64(binary.BigEndian.Uint32(tid[:4]))
				require.GreaterOrEqual(t, epoch, before)
				require.LessOrEqual(t, epoch, after)
				root := invocation.RootFromTraceID(tid)
				back, err := invocation.TraceIDFromRoot(root)
				require.NoError(t, err, root)
				require.Equal(t, tid, back)
				require.False(t, seen[tid], "repeated trace id")
				seen[tid] = true
				require.True(t, tt.gen.NewSpanID(t.Context(), tid).IsValid())
			}
		})
	}
}

func BenchmarkIDGenerator(b *testing.B) {
	for _, bb := range []struct {
		name string
		gen  sdktrace.IDGenerator
	}{
		{"lumen", tracing.IDGenerator{}},
		{"contrib", contribxray.NewIDGenerator()},
	} {
		b.Run(bb.name, func(b *testing.B) {
			ctx := b.Context()
			b.ReportAllocs()
			for b.Loop() {
				bb.gen.NewIDs(ctx)
			}
		})
	}
}
