package promhttp_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/lumen-rt/lumen/exporters/promhttp"
	"github.com/lumen-rt/lumen/metrics"
)

// Serve a Recorder's metrics for a local Prometheus, then stop.
func Example() {
	rec, err := metrics.New(metrics.WithFunctionName("local"), metrics.WithMaxMemory(0))
	if err != nil {
		panic(err)
	}
	rec.InvocationStarted()
	rec.RecordInvocation(metrics.InvocationResult{Trigger: metrics.TriggerHTTP})

	srv, err := promhttp.New(rec.Gatherer(), "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	if err := srv.Start(ctx); err != nil {
		panic(err)
	}
	defer srv.Shutdown(ctx)

	resp, err := http.Get(srv.URL())
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), `faas_invocations_total{faas_name="local",faas_trigger="http"}`) {
			fmt.Println(lines.Text())
		}
	}
	// Output: faas_invocations_total{faas_name="local",faas_trigger="http"} 1
}
