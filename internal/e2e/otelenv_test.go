package e2e_test

import (
	"context"
	"encoding/hex"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/otlptest"
	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/internal/testenv"
)

// A function moved from aws-lambda-go with nothing but runtime.Start (no
// exporter import) and configured with the OTEL_* variables alone, as the
// OpenTelemetry Lambda layer and ADOT teach, exports its traces, metrics
// and logs over OTLP/HTTP to a real Collector: every signal with one and the
// same resource, and its log record carrying an exported span's ids.
func TestOTELEnvironmentAlone(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: runs the Runtime Interface Emulator and a Collector")
	}
	testenv.Tool(t, rie.ToolName)
	out, err := exec.Command("go", "list", "-deps", "github.com/lumen-rt/lumen/internal/e2e/otelonly").CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, heavy := range []string{"google.golang.org/grpc", "go.opentelemetry.io/proto/otlp", "go.opentelemetry.io/otel/sdk/log"} {
		require.NotContains(t, string(out), heavy+"\n", "the built-in OTLP links no %s", heavy)
	}
	bin := testenv.BuildBinary(t, "./internal/e2e/otelonly")
	c := collector.Start(t)
	em := rie.StartClassic(t, bin, rie.WithFunctionName("orders"), rie.WithEnv(
		"OTEL_EXPORTER_OTLP_ENDPOINT="+c.OTLPHTTPEndpoint(),
		"OTEL_SERVICE_NAME=checkout",
		"OTEL_RESOURCE_ATTRIBUTES=deployment.environment.name=test,team=payments",
		"AWS_REGION=eu-west-1", "AWS_LAMBDA_FUNCTION_VERSION=7",
	))
	ctx, cancel := context.WithTimeout(t.Context(), telemetryWait)
	defer cancel()
	resp, err := em.InvokeJSON(ctx, map[string]string{"id": "o-1"}, nil)
	require.NoError(t, err)
	require.Equal(t, `"charged o-1"`, string(resp.Body))

	spans := waitSpans(t, c, "the invocation's spans and the handler's", func(all []*tracepb.Span) bool {
		return spanNamed(all, "charge card") != nil && spanNamed(all, "lumen.handle") != nil
	})
	handle := spanNamed(spans, "lumen.handle")
	require.Equal(t, handle.GetSpanId(), spanNamed(spans, "charge card").GetParentSpanId())

	records, err := c.WaitLogRecords(ctx, 1)
	require.NoError(t, err)
	var charged *logspb.LogRecord
	for _, r := range records {
		if r.GetBody().GetStringValue() == "charged" {
			charged = r
		}
	}
	require.NotNil(t, charged, "the handler's log record arrived: %v", records)
	require.Equal(t, hex.EncodeToString(handle.GetTraceId()), hex.EncodeToString(charged.GetTraceId()))
	require.Equal(t, hex.EncodeToString(handle.GetSpanId()), hex.EncodeToString(charged.GetSpanId()),
		"the log record carries the span it was logged in")
	require.Equal(t, "o-1", otlptest.Attributes(charged.GetAttributes())["order"])

	metrics, err := c.WaitMetrics(ctx, 1)
	require.NoError(t, err)
	require.NotNil(t, metricNamed(metrics, "faas.invocations"), "the FaaS metrics arrived")

	res := c.Resources()
	for _, signal := range []string{"traces", "metrics", "logs"} {
		require.NotEmpty(t, res[signal], signal)
	}
	one := res["traces"][0]
	attrs := otlptest.Attributes(one.GetAttributes())
	for k, v := range map[string]any{
		"service.name": "checkout", "faas.name": "orders", "faas.version": "7", "cloud.provider": "aws",
		"cloud.platform": "aws_lambda", "cloud.region": "eu-west-1", "deployment.environment.name": "test",
		"team": "payments", "telemetry.distro.name": "lumen",
	} {
		require.Equal(t, v, attrs[k], "resource attribute %s", k)
	}
	for signal, list := range res {
		for _, r := range list {
			require.True(t, proto.Equal(one, r), "%s carries the same resource as the traces:\n%v\n%v", signal, one, r)
		}
	}
}

func spanNamed(spans []*tracepb.Span, name string) *tracepb.Span {
	for _, s := range spans {
		if s.GetName() == name {
			return s
		}
	}
	return nil
}

func metricNamed(ms []*metricspb.Metric, name string) *metricspb.Metric {
	for _, m := range ms {
		if strings.EqualFold(m.GetName(), name) {
			return m
		}
	}
	return nil
}
