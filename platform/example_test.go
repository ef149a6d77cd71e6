package platform_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/platform"
)

func ExampleParseBatch() {
	body := []byte(`[
	 {"time":"2022-10-12T00:00:15.064Z","type":"platform.start","record":{"requestId":"6d68ca91"}},
	 {"time":"2022-10-12T00:01:15.000Z","type":"platform.report","record":{"requestId":"6d68ca91","status":"success",
	  "metrics":{"billedDurationMs":694,"durationMs":693.92,"initDurationMs":397.68,"maxMemoryUsedMB":84,"memorySizeMB":128}}}]`)
	b, err := platform.ParseBatch(body, false)
	if err != nil {
		panic(err)
	}
	r := b.Reports[0]
	fmt.Println(r.RequestID, r.Status, r.Duration, r.BilledDuration, r.MaxMemoryUsed>>20, "of", r.MemorySize>>20, "MiB")
	fmt.Println("skipped:", b.Skipped)
	// Output:
	// 6d68ca91 success 693.92ms 694ms 84 of 128 MiB
	// skipped: 1
}

// printSink prints the reports handed to it.
type printSink struct{ nopSink }

func (printSink) RecordReport(r platform.Report) {
	fmt.Printf("report %s: %s, billed %v, trigger %s\n", r.RequestID, r.Status, r.BilledDuration, r.Trigger)
}

// The runtime's side: subscribe during init, tell the Platform about each
// invocation, flush before the exporters. A fake Telemetry API stands in
// for Lambda here and delivers the report as Lambda would, after the
// invocation.
func ExamplePlatform_Subscribe() {
	var destination string
	lambda := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var sub struct {
			Destination struct{ URI string } `json:"destination"`
		}
		_ = json.NewDecoder(r.Body).Decode(&sub)
		destination = sub.Destination.URI
		_, _ = io.WriteString(w, `"OK"`)
	}))
	defer lambda.Close()

	p := platform.New(platform.WithListenAddress("127.0.0.1:0"), platform.WithMetricsSink(printSink{}))
	ctx := context.Background()
	// Registered beforehand: POST /2020-01-01/extension/register.
	extensionID := "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
	if err := p.Subscribe(ctx, strings.TrimPrefix(lambda.URL, "http://"), extensionID, nil); err != nil {
		fmt.Println("no platform telemetry:", err)
	}
	u, _ := url.Parse(destination)
	fmt.Println("Lambda delivers to", u.Hostname())

	p.Started("req-1", invocation.TriggerHTTP, trace.SpanContext{})

	// Lambda, while the next invocation runs (delivering to 127.0.0.1, as
	// the emulator does):
	report := `[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"req-1","status":"success",
	 "metrics":{"durationMs":12.3,"billedDurationMs":13,"memorySizeMB":128,"maxMemoryUsedMB":40}}}]`
	resp, err := http.Post("http://127.0.0.1:"+u.Port()+"/", "application/json", bytes.NewReader([]byte(report)))
	if err == nil {
		resp.Body.Close()
	}

	// The flush point: the Platform first, then the exporters.
	_ = p.ForceFlush(ctx)
	_ = p.Shutdown(ctx)
	// Output:
	// Lambda delivers to sandbox.localdomain
	// report req-1: success, billed 13ms, trigger http
}
