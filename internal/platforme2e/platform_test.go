package platforme2e_test

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/otlptest"
	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/platform"
)

// wait bounds each wait for something that should happen; a guard against
// hanging, not a measure of speed.
const wait = 30 * time.Second

// apiGatewayEvent is an API Gateway HTTP API request: its invocation's
// trigger is http.
const apiGatewayEvent = `{"version":"2.0","routeKey":"GET /platform","rawPath":"/platform","rawQueryString":"",
 "headers":{"host":"abc123.execute-api.eu-west-1.amazonaws.com"},
 "requestContext":{"domainName":"abc123.execute-api.eu-west-1.amazonaws.com","routeKey":"GET /platform","stage":"$default",
  "http":{"method":"GET","path":"/platform","protocol":"HTTP/1.1","sourceIp":"198.51.100.7"}},"isBase64Encoded":false}`

// metric is a line testfunc's metrics sink printed.
type metric struct {
	Kind               string  `json:"kind"`
	RequestID          string  `json:"requestId"`
	Status             string  `json:"status"`
	ErrorType          string  `json:"errorType"`
	Trigger            string  `json:"trigger"`
	DurationMs         float64 `json:"durationMs"`
	InitializationType string  `json:"initializationType"`
	Spans              int     `json:"spans"`
}

// metrics returns the metric lines of out, reports by request id.
func metrics(t testing.TB, out string) (reports map[string]metric, others []metric) {
	t.Helper()
	reports = map[string]metric{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		_, line, ok := strings.Cut(sc.Text(), "platformfunc: metric ")
		if !ok {
			continue
		}
		var m metric
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		if m.Kind == "report" {
			reports[m.RequestID] = m
		} else {
			others = append(others, m)
		}
	}
	return reports, others
}

// reportLine matches the emulator's own REPORT line.
var reportLine = regexp.MustCompile(`REPORT RequestId: (\S+)\tDuration: ([0-9.]+) ms`)

// emulatorReports returns the Duration of each REPORT line, in ms.
func emulatorReports(out string) map[string]float64 {
	got := map[string]float64{}
	for _, m := range reportLine.FindAllStringSubmatch(out, -1) {
		d, _ := strconv.ParseFloat(m[2], 64)
		got[m[1]] = d
	}
	return got
}

// invoke sends payload and returns the request id the function answered
// with, and the answer.
func invoke(t testing.TB, em *rie.Emulator, payload string) (string, *rie.Response) {
	t.Helper()
	resp, err := em.Invoke(t.Context(), []byte(payload), nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.Status, "body: %s", resp.Body)
	var r struct {
		RequestID string `json:"requestId"`
		Message   string `json:"errorMessage"`
	}
	require.NoError(t, json.Unmarshal(resp.Body, &r))
	if r.RequestID == "" {
		r.RequestID = strings.TrimPrefix(r.Message, "invalid: ")
	}
	require.NotEmpty(t, r.RequestID, "body: %s", resp.Body)
	return r.RequestID, resp
}

// spanIndex is the spans a collector received: the invocation span and the
// lambda.report span of each request id, the lambda.init spans.
type spanIndex struct {
	invocation, report map[string]*tracepb.Span
	init               []*tracepb.Span
}

func indexSpans(spans []*tracepb.Span) spanIndex {
	idx := spanIndex{invocation: map[string]*tracepb.Span{}, report: map[string]*tracepb.Span{}}
	for _, s := range spans {
		id, _ := otlptest.Attributes(s.Attributes)["faas.invocation_id"].(string)
		switch {
		case s.Name == platform.SpanInit:
			idx.init = append(idx.init, s)
		case id == "":
		case s.Name == platform.SpanReport:
			idx.report[id] = s
		default:
			idx.invocation[id] = s
		}
	}
	return idx
}

// Under the emulator's managed-instances mode, which serves a real
// Telemetry API: an internal extension registered with no events
// subscribes; each invocation's report reaches the metrics sink at a later
// flush with the duration of the emulator's own REPORT line, its status
// and error type, and its invocation's trigger; it becomes a lambda.report
// span in its invocation's trace that lasts that duration; the init report
// goes in the first invocation's trace; and at SIGTERM the report of the
// last invocation, which arrives after its flush, still goes out.
func TestManagedPlatformTelemetry(t *testing.T) {
	bin := testfunc(t)
	sink := collector.NewSink(t)
	em := rie.StartManaged(t, bin, rie.WithMaxConcurrency(1), rie.WithFunctionName("lumen-platform"),
		rie.WithEnv("OTEL_EXPORTER_OTLP_ENDPOINT="+sink.URL(), "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"))

	first, _ := invoke(t, em, `{"op":"echo"}`)
	httpID, _ := invoke(t, em, apiGatewayEvent)
	failedID, failed := invoke(t, em, `{"op":"error"}`)
	ids := []string{first, httpID, failedID}

	// Each report arrives after its invocation's flush: it goes out with
	// a later one. Invoke until all three have.
	deadline := time.Now().Add(wait)
	for {
		reports, _ := metrics(t, em.Output())
		idx := indexSpans(sink.Spans())
		if len(reports) >= 3 && len(idx.report) >= 3 && len(idx.init) == 1 {
			break
		}
		require.True(t, time.Now().Before(deadline), "reports %v, spans %v\n%s", reports, idx.report, em.Output())
		invoke(t, em, `{"op":"echo"}`)
	}

	out := em.Output()
	require.Contains(t, out, "platformfunc: subscribe: <nil>")
	require.NotContains(t, out, "platformfunc: error")
	reports, others := metrics(t, out)
	emulator := emulatorReports(out)
	wantTrigger := map[string]string{first: "other", httpID: "http", failedID: "other"}
	idx := indexSpans(sink.Spans())
	for _, id := range ids {
		m, ok := reports[id]
		require.True(t, ok, "report of %s", id)
		d, ok := emulator[id]
		require.True(t, ok, "REPORT line of %s", id)
		require.InDelta(t, d, m.DurationMs, 0.005+1e-9, "%s: the REPORT line prints the report's duration to 2 decimals", id)
		require.Equal(t, wantTrigger[id], m.Trigger, id)
		require.Equal(t, 2, m.Spans, "%s: responseLatency and responseDuration", id)

		inv, rep := idx.invocation[id], idx.report[id]
		require.NotNil(t, inv, id)
		require.NotNil(t, rep, id)
		require.Equal(t, inv.TraceId, rep.TraceId, id)
		require.Equal(t, hex.EncodeToString(inv.SpanId), hex.EncodeToString(rep.ParentSpanId), "%s: a child of the invocation span", id)
		require.InDelta(t, m.DurationMs, float64(rep.EndTimeUnixNano-rep.StartTimeUnixNano)/1e6, 1e-6, id)
		require.Equal(t, m.Status, otlptest.Attributes(rep.Attributes)[string(platform.AttrStatus)], id)
	}
	require.Equal(t, "success", reports[first].Status)
	require.Equal(t, "error", reports[failedID].Status)
	require.Equal(t, failed.FunctionError(), reports[failedID].ErrorType, "the error type the invoker was told")
	require.Equal(t, tracepb.Status_STATUS_CODE_ERROR, idx.report[failedID].Status.GetCode())

	require.Len(t, others, 1)
	require.Equal(t, metric{Kind: "initReport", Status: "success", InitializationType: "lambda-managed-instances", DurationMs: others[0].DurationMs}, others[0])
	require.Positive(t, others[0].DurationMs)
	require.Equal(t, hex.EncodeToString(idx.invocation[first].SpanId), hex.EncodeToString(idx.init[0].ParentSpanId),
		"the init report goes in the first invocation's trace")

	// The last invocation's report arrives after its flush; SIGTERM's
	// Platform.Shutdown waits for it and the final flush carries it.
	last, _ := invoke(t, em, `{"op":"echo"}`)
	em.Stop()
	out = em.Output()
	require.Contains(t, out, "platformfunc: SIGTERM")
	reports, _ = metrics(t, out)
	require.Contains(t, reports, last, "the last report, at SIGTERM\n%s", out)
	require.InDelta(t, emulatorReports(out)[last], reports[last].DurationMs, 0.005+1e-9)
	idx = indexSpans(sink.Spans())
	require.Contains(t, idx.report, last, "its span left with the final flush")
	require.NotContains(t, out, "platformfunc: shutdown:", "Shutdown did not run out of time")
}

// Under classic mode, whose Telemetry API is a stub answering
// Telemetry.NotSupported, the function carries on without platform
// telemetry and says so once.
func TestClassicCarriesOn(t *testing.T) {
	bin := testfunc(t)
	sink := collector.NewSink(t)
	em := rie.StartClassic(t, bin, rie.WithEnv("OTEL_EXPORTER_OTLP_ENDPOINT="+sink.URL(), "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"))
	for range 3 {
		invoke(t, em, `{"op":"echo"}`)
	}
	_, resp := invoke(t, em, `{"op":"error"}`)
	require.NotEmpty(t, resp.Body)
	em.Stop()
	out := em.Output()
	subscribe := regexp.MustCompile(`platformfunc: subscribe: (.*)`).FindAllStringSubmatch(out, -1)
	require.Len(t, subscribe, 1, out)
	require.Contains(t, subscribe[0][1], "Telemetry.NotSupported")
	require.Contains(t, subscribe[0][1], "(not supported: true)")
	require.NotContains(t, out, "platformfunc: error")
	require.NotContains(t, out, "platformfunc: metric")
	idx := indexSpans(sink.Spans())
	require.Len(t, idx.invocation, 4, "the runtime's own telemetry is unaffected")
	require.Empty(t, idx.report)
	t.Log("classic mode answered:", subscribe[0][1])
}
