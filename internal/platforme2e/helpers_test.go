package platforme2e_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/otlptest"
	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/platform"
)

// wait bounds each wait for something that should happen; a guard against
// hanging, not a measure of speed.
const wait = 30 * time.Second

// function is the function's name, and so its invocation spans' name.
const function = "lumen-platform"

// telemetryEnv configures the function as a user would: platform telemetry
// on, spans and metrics over OTLP/HTTP to col, spans sent only by the
// runtime's flushes (the batch processor's own timer is off), every trace
// sampled.
func telemetryEnv(col *collector.Collector, extra ...string) rie.Option {
	return rie.WithEnv(append([]string{
		"LUMEN_PLATFORM_TELEMETRY=true",
		"OTEL_EXPORTER_OTLP_ENDPOINT=" + col.OTLPHTTPEndpoint(),
		"OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
		"OTEL_TRACES_EXPORTER=otlp",
		"OTEL_METRICS_EXPORTER=otlp",
		"OTEL_BSP_SCHEDULE_DELAY=600000",
		"OTEL_TRACES_SAMPLER=",
	}, extra...)...)
}

// apiGatewayEvent is an API Gateway HTTP API request: its invocation's
// trigger is http.
const apiGatewayEvent = `{"version":"2.0","routeKey":"GET /platform","rawPath":"/platform","rawQueryString":"",
 "headers":{"host":"abc123.execute-api.eu-west-1.amazonaws.com"},
 "requestContext":{"domainName":"abc123.execute-api.eu-west-1.amazonaws.com","routeKey":"GET /platform","stage":"$default",
  "http":{"method":"GET","path":"/platform","protocol":"HTTP/1.1","sourceIp":"198.51.100.7"}},"isBase64Encoded":false}`

// reply is testfunc's answer, or its error document.
type reply struct {
	RequestID string `json:"requestId"`
	CPUMicros int64  `json:"cpuMicros"`
	Message   string `json:"errorMessage"`
	Type      string `json:"errorType"`
}

// invoke sends payload and returns the answer, decoded. A ValidationError's
// message is the request id: it becomes RequestID.
func invoke(t testing.TB, em *rie.Emulator, payload string) (*reply, *rie.Response) {
	t.Helper()
	resp, err := em.Invoke(t.Context(), []byte(payload), nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.Status, "body: %.300s", resp.Body)
	var r reply
	require.NoError(t, json.Unmarshal(resp.Body, &r), "body: %.300s", resp.Body)
	if r.Type == "ValidationError" {
		r.RequestID = r.Message
	}
	return &r, resp
}

// reportLine matches the emulator's own REPORT line and what follows
// Duration on it (classic mode prints billed duration and memory there).
var reportLine = regexp.MustCompile(`(?m)^REPORT RequestId: (\S+)\tDuration: ([0-9.]+) ms(.*)$`)

// emulatorReport is one REPORT line.
type emulatorReport struct {
	durationMS float64
	rest       string
}

// emulatorReports returns the REPORT lines of out by request id.
func emulatorReports(t testing.TB, out string) map[string]emulatorReport {
	t.Helper()
	got := map[string]emulatorReport{}
	for _, m := range reportLine.FindAllStringSubmatch(out, -1) {
		d, err := strconv.ParseFloat(m[2], 64)
		require.NoError(t, err, m[0])
		got[m[1]] = emulatorReport{durationMS: d, rest: strings.TrimSpace(m[3])}
	}
	return got
}

// spanIndex is the spans a collector received: the invocation span and the
// lambda.report span of each request id, the lambda.init spans, and every
// span by id.
type spanIndex struct {
	invocation, report map[string]*tracepb.Span
	init               []*tracepb.Span
	byID               map[string]*tracepb.Span
	children           map[string][]*tracepb.Span
}

func indexSpans(spans []*tracepb.Span) spanIndex {
	idx := spanIndex{invocation: map[string]*tracepb.Span{}, report: map[string]*tracepb.Span{},
		byID: map[string]*tracepb.Span{}, children: map[string][]*tracepb.Span{}}
	for _, s := range spans {
		idx.byID[string(s.SpanId)] = s
		idx.children[string(s.ParentSpanId)] = append(idx.children[string(s.ParentSpanId)], s)
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

// child returns the child of s named name.
func (idx spanIndex) child(s *tracepb.Span, name string) *tracepb.Span {
	for _, c := range idx.children[string(s.SpanId)] {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// durationMS is a span's duration in milliseconds.
func durationMS(s *tracepb.Span) float64 {
	return float64(s.EndTimeUnixNano-s.StartTimeUnixNano) / 1e6
}

// point is the latest value of one series: a histogram's count and sum, or
// a counter's or gauge's value in sum.
type point struct {
	count uint64
	sum   float64
	at    uint64
}

// seriesSet is the latest point of every series, by metric name (the
// OpenTelemetry name, faas.platform_duration) and then by its attributes,
// written "key=value,…" in key order.
type seriesSet map[string]map[string]point

// latest keeps the newest point of every series in ms: with cumulative
// temporality, the totals so far.
func latest(ms []*metricspb.Metric) seriesSet {
	set := seriesSet{}
	keep := func(name string, attrs map[string]any, p point) {
		keys := make([]string, 0, len(attrs))
		for k, v := range attrs {
			keys = append(keys, k+"="+toString(v))
		}
		slices.Sort(keys)
		key := strings.Join(keys, ",")
		if set[name] == nil {
			set[name] = map[string]point{}
		}
		if old, ok := set[name][key]; !ok || p.at >= old.at {
			set[name][key] = p
		}
	}
	for _, m := range ms {
		for _, dp := range m.GetHistogram().GetDataPoints() {
			keep(m.Name, otlptest.Attributes(dp.Attributes), point{count: dp.Count, sum: dp.GetSum(), at: dp.TimeUnixNano})
		}
		for _, dp := range m.GetSum().GetDataPoints() {
			keep(m.Name, otlptest.Attributes(dp.Attributes), point{sum: number(dp), at: dp.TimeUnixNano})
		}
		for _, dp := range m.GetGauge().GetDataPoints() {
			keep(m.Name, otlptest.Attributes(dp.Attributes), point{sum: number(dp), at: dp.TimeUnixNano})
		}
	}
	return set
}

func number(dp *metricspb.NumberDataPoint) float64 {
	if v, ok := dp.Value.(*metricspb.NumberDataPoint_AsInt); ok {
		return float64(v.AsInt)
	}
	return dp.GetAsDouble()
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// total adds up the points of a metric over all its series.
func (s seriesSet) total(name string) point {
	var p point
	for _, q := range s[name] {
		p.count += q.count
		p.sum += q.sum
	}
	return p
}

// platformMetrics are the metrics recorded from the Telemetry API, by
// their OpenTelemetry names.
var platformMetrics = []string{
	"faas.mem_usage", "faas.memory_utilization", "faas.billed_duration", "faas.platform_duration",
	"faas.platform_init_duration", "faas.restore_duration", "faas.response_latency", "faas.response_duration",
	"faas.produced_size", "faas.invocation_status", "faas.billed_usage", "faas.estimated_cost",
}

// platformTrouble matches what the runtime says when the platform
// telemetry fails, loses events or overruns its flush.
var platformTrouble = regexp.MustCompile(`platform telemetry off|platform: |lambda-platform`)

// emulatorDeadlock is what the emulator's managed-instances mode logs just
// before its Telemetry API deadlocks: a batch was ready while the listener
// still answered the one before, so it dropped it and broadcast a
// platform.logsDropped event from the loop that must consume it. Every
// later event, and so every invocation, then blocks. It happens when the
// machine is so loaded that the function's listener takes longer than
// the 25 ms buffering to answer a delivery.
const emulatorDeadlock = "could not send batch to telemetry Subscriber as previous batch hasn't processed yet"

// startManaged starts the emulator in managed-instances mode, and says so
// when a failed test ran into its Telemetry API deadlock.
func startManaged(t testing.TB, bin string, opts ...rie.Option) *rie.Emulator {
	t.Helper()
	em := rie.StartManaged(t, bin, opts...)
	t.Cleanup(func() {
		if t.Failed() && strings.Contains(em.Output(), emulatorDeadlock) {
			t.Log("the emulator's Telemetry API deadlocked (see emulatorDeadlock): a known fault of " +
				"aws-lambda-rie's managed-instances mode under heavy load, not of the function")
		}
	})
	return em
}

// waitFor polls cond until it holds or wait passes, then fails with msg.
func waitFor(t testing.TB, cond func() bool, msg func() string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v: %s", wait, msg())
		}
		time.Sleep(10 * time.Millisecond) // polling for a state, bounded above
	}
}
