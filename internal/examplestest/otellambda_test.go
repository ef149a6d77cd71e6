package examplestest

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/otlptest"
	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/runtime"
)

// TestExampleFromOtellambda runs both halves of examples/from-otellambda
// under the emulator, exporting over OTLP/HTTP to a real OpenTelemetry
// Collector as a function with the collector layer does: both answer
// testdata/event.json with testdata/response.json, and the handler's span
// "compose greeting" arrives under otellambda's invocation span before,
// and under lumen.handle, itself under the invocation span, after.
func TestExampleFromOtellambda(t *testing.T) {
	requireEmulator(t)
	c := collector.Start(t)
	const function = "greeter"
	tests := []struct {
		name       string
		pkg        string
		wantParent func(t *testing.T, parent *tracepb.Span, trace []*tracepb.Span)
	}{
		{name: "before", pkg: "./from-otellambda/before", wantParent: func(t *testing.T, parent *tracepb.Span, _ []*tracepb.Span) {
			require.Equal(t, function, parent.GetName(), "otellambda names its span after the function")
			require.Equal(t, tracepb.Span_SPAN_KIND_SERVER, parent.GetKind())
		}},
		{name: "after", pkg: "./from-otellambda/after", wantParent: func(t *testing.T, parent *tracepb.Span, trace []*tracepb.Span) {
			require.Equal(t, runtime.SpanHandle, parent.GetName())
			inv := spanByID(t, trace, parent.GetParentSpanId())
			require.Equal(t, function, inv.GetName())
			require.Equal(t, tracepb.Span_SPAN_KIND_SERVER, inv.GetKind())
			require.Equal(t, "other", otlptest.Attributes(inv.GetAttributes())["faas.trigger"])
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			service := function + "-" + tt.name
			em := rie.StartClassic(t, buildExample(t, tt.pkg), rie.WithFunctionName(function), rie.WithEnv(
				"OTEL_SERVICE_NAME="+service, "OTEL_EXPORTER_OTLP_ENDPOINT="+c.OTLPHTTPEndpoint(),
				"OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", "OTEL_TRACES_EXPORTER=", "OTEL_TRACES_SAMPLER=",
				"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=", "AWS_XRAY_DAEMON_ADDRESS="))
			resp, err := em.Invoke(t.Context(), testdata(t, "from-otellambda", "event.json"), nil)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, resp.Status)
			requireAnswer(t, "from-otellambda", resp)

			child, trace := waitServiceSpan(t, c, service, "compose greeting")
			tt.wantParent(t, spanByID(t, trace, child.GetParentSpanId()), trace)
		})
	}
}

// waitServiceSpan waits until the collector forwarded a span called name
// from the service, and returns it with the spans of its trace.
func waitServiceSpan(t *testing.T, c *collector.Collector, service, name string) (*tracepb.Span, []*tracepb.Span) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), telemetryWait)
	defer cancel()
	for {
		n := len(c.Spans())
		spans := serviceSpans(c, service)
		for _, s := range spans {
			if s.GetName() == name {
				var trace []*tracepb.Span
				for _, o := range spans {
					if string(o.GetTraceId()) == string(s.GetTraceId()) {
						trace = append(trace, o)
					}
				}
				return s, trace
			}
		}
		if _, err := c.WaitSpans(ctx, n+1); err != nil {
			t.Fatalf("no span %q from %s: %v; collector output:\n%s", name, service, err, c.Output())
		}
	}
}

// serviceSpans returns the spans the collector forwarded whose resource's
// service.name is service.
func serviceSpans(c *collector.Collector, service string) []*tracepb.Span {
	var out []*tracepb.Span
	for _, req := range c.TraceRequests() {
		for _, rs := range req.GetResourceSpans() {
			if otlptest.Attributes(rs.GetResource().GetAttributes())["service.name"] != service {
				continue
			}
			for _, ss := range rs.GetScopeSpans() {
				out = append(out, ss.GetSpans()...)
			}
		}
	}
	return out
}

// spanByID returns the span of trace whose id is id.
func spanByID(t *testing.T, trace []*tracepb.Span, id []byte) *tracepb.Span {
	t.Helper()
	for _, s := range trace {
		if string(s.GetSpanId()) == string(id) {
			return s
		}
	}
	t.Fatalf("no span %x in the trace", id)
	return nil
}
