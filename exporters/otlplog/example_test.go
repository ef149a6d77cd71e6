package otlplog_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"

	"github.com/lumen-rt/lumen/exporters/otlplog"
	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/logging"
)

// printExporter prints what would go over OTLP; in a function the exporter
// comes from OTEL_LOGS_EXPORTER and OTEL_EXPORTER_OTLP_ENDPOINT instead.
type printExporter struct{ mu sync.Mutex }

func (p *printExporter) Export(_ context.Context, records []sdklog.Record) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range records {
		fmt.Printf("otlp: %s %q trace_id=%s", r.SeverityText(), r.Body().AsString(), r.TraceID())
		r.WalkAttributes(func(kv attribute.KeyValue) bool {
			fmt.Printf(" %s=%s", kv.Key, kv.Value.String())
			return true
		})
		fmt.Println()
	}
	return nil
}
func (*printExporter) Shutdown(context.Context) error   { return nil }
func (*printExporter) ForceFlush(context.Context) error { return nil }

func Example() {
	ctx := context.Background()
	exp, err := otlplog.New(ctx,
		otlplog.WithExporter(&printExporter{}),
		otlplog.WithResource(resource.Empty()),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer exp.Shutdown(ctx) //nolint:errcheck // shown in full below

	// Tee the stdout handler and the OTLP handler.
	stdout := logging.NewHandler(os.Stdout, logging.WithFormat(logging.FormatText), logging.WithReplaceAttr(
		func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == logging.TimestampKey {
				return slog.Attr{} // stable output
			}
			return a
		}))
	logger := slog.New(slog.NewMultiHandler(stdout, exp.Handler()))

	info := &invocation.Info{TraceHeader: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"}
	info.Lambda.AwsRequestID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
	logger.InfoContext(invocation.NewContext(ctx, info), "charged", "token", "tok_123")

	// The runtime's flush point, after the response is posted.
	if err := exp.ForceFlush(ctx); err != nil {
		fmt.Println(err)
	}
	// Output:
	// level=INFO message=charged requestId=8476a536-e9f4-11e8-9739-2dfe598c3fcd function_request_id=8476a536-e9f4-11e8-9739-2dfe598c3fcd cold_start=false xray_trace_id=1-5759e988-bd862e3fe1be46a994272793 token=[REDACTED]
	// otlp: INFO "charged" trace_id=5759e988bd862e3fe1be46a994272793 token=[REDACTED] faas.coldstart=false faas.invocation_id=8476a536-e9f4-11e8-9739-2dfe598c3fcd
}
