package e2e_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/internal/xraytest"
	"github.com/lumen-rt/lumen/runtime"
)

// waitXRay waits until at least n documents of the X-Ray trace root
// arrived and returns them.
func waitXRay(t *testing.T, d *xraytest.Daemon, root string, n int) []xraytest.Segment {
	t.Helper()
	docs := d.Await(t, telemetryWait, fmt.Sprintf("%d of the trace %s", n, root), func(docs []xraytest.Segment) bool {
		return len(xraytest.OfTrace(docs, root)) >= n
	})
	return xraytest.OfTrace(docs, root)
}

// TestTracingXRayDaemon: with OTEL_TRACES_EXPORTER unset and
// AWS_XRAY_DAEMON_ADDRESS set, as Lambda's active tracing leaves them, the
// runtime sends the invocation to the daemon as one subsegment of the
// function segment the trace header names, its phases and the handler's
// span nested in it.
func TestTracingXRayDaemon(t *testing.T) {
	bin := testfunc(t)
	daemon := xraytest.Start(t)
	em := rie.StartManaged(t, bin, rie.WithMaxConcurrency(1), rie.WithFunctionName(tracedFunction), rie.WithEnv(
		"OTEL_TRACES_EXPORTER=", "OTEL_EXPORTER_OTLP_ENDPOINT=", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=", "OTEL_TRACES_SAMPLER=",
		"AWS_XRAY_DAEMON_ADDRESS="+daemon.Addr(), noBatchTimer))

	tests := []struct {
		name      string
		ev        event
		wantError bool
	}{
		{name: "handler span", ev: event{Op: "span", Message: "checkout"}},
		{name: "function error", ev: event{Op: "error", Message: "card declined"}, wantError: true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seg := newSegment(200 + i)
			resp := invoke(t, em, tt.ev, seg.header("1"))
			want := 5
			var hs *handlerSpan
			if tt.wantError {
				want = 4
				require.Equal(t, "ValidationError", errorDocument(t, resp).Type)
			} else {
				hs = decodeHandlerSpan(t, resp)
			}
			docs := waitXRay(t, daemon, seg.root, want)
			require.Len(t, docs, want)
			require.Equal(t, 1, daemon.Datagrams(seg.root), "one datagram per invocation")
			byName := map[string]xraytest.Segment{}
			for _, doc := range docs {
				require.Equal(t, "subsegment", doc.Type, "%+v: every span has a parent", doc)
				byName[doc.Name] = doc
			}
			inv, ok := byName[tracedFunction]
			require.True(t, ok, "no invocation subsegment among %+v", docs)
			require.Equal(t, seg.parent, inv.ParentID, "the invocation is a subsegment of the header's Parent")
			require.Equal(t, tt.wantError, inv.Fault, "a failed invocation is a fault of its subsegment")
			require.False(t, inv.Error, "error is for a client's 4xx")
			for _, phase := range []string{runtime.SpanReceive, runtime.SpanHandle, runtime.SpanPost} {
				require.Equal(t, inv.ID, byName[phase].ParentID, "%s is a subsegment of the invocation", phase)
			}
			if hs != nil {
				require.Equal(t, hs.SpanID, byName[runtime.SpanHandle].ID)
				require.Equal(t, hs.ChildSpanID, byName["checkout"].ID)
				require.Equal(t, hs.SpanID, byName["checkout"].ParentID, "the handler's span is a subsegment of lumen.handle")
			}
		})
	}
}
