package otlpmetric_test

import (
	"context"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/sdk/resource"
	semconv "go.opentelemetry.io/otel/semconv/v1.39.0"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlpmetric"
	"github.com/lumen-rt/lumen/tracing"
)

// flushBudget is the context a flush gets in these tests, as the runtime's
// flush point would give it. A flush that ignored it would hang the test.
const flushBudget = 200 * time.Millisecond

func newExporter(t testing.TB, reg *exportertest.Registry, url string, opts ...otlpmetric.Option) *otlpmetric.Exporter {
	t.Helper()
	opts = append([]otlpmetric.Option{otlpmetric.WithHTTPOptions(otlpmetrichttp.WithEndpointURL(url + "/v1/metrics"))}, opts...)
	e, err := otlpmetric.New(t.Context(), reg, opts...)
	require.NoError(t, err)
	return e
}

func TestExportsRegistryWithLambdaResource(t *testing.T) {
	lambda := tracing.NewResource(tracing.Environment{FunctionName: "orders", FunctionVersion: "$LATEST",
		Region: "eu-west-1", InstanceID: "0f1e2d3c4b5a69788796a5b4c3d2e1f0"})
	tests := []struct {
		name         string
		env          map[string]string
		opts         []otlpmetric.Option
		wantResource map[string]string
	}{
		{
			name: "the Lambda resource the telemetry package passes",
			opts: []otlpmetric.Option{otlpmetric.WithResource(lambda)},
			wantResource: map[string]string{
				"service.name": "orders", "faas.name": "orders", "faas.version": "$LATEST",
				"service.instance.id": "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "cloud.provider": "aws",
				"cloud.platform": "aws_lambda", "cloud.region": "eu-west-1",
			},
		},
		{
			name:         "no variable is read",
			env:          map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "from-the-environment", "LUMEN_METRICS_INSTANCE": "env-7"},
			opts:         []otlpmetric.Option{otlpmetric.WithInstance("opt-9")},
			wantResource: map[string]string{"service.instance.id": "opt-9", "service.name": "", "faas.name": ""},
		},
		{
			name:         "resource option replaces",
			opts:         []otlpmetric.Option{otlpmetric.WithResource(resource.NewSchemaless(semconv.ServiceName("mine")))},
			wantResource: map[string]string{"service.name": "mine"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lambdaEnv(t, tc.env)
			col := newFakeCollector(t, http.StatusOK)
			reg := exportertest.NewRegistry()
			reg.Invoke(10, 5)
			reg.Memory.Set(4096)
			e := newExporter(t, reg, col.URL, tc.opts...)
			require.NoError(t, e.ForceFlush(t.Context()))
			reg.Invoke(3, 0)
			require.NoError(t, e.Shutdown(t.Context()))

			reqs := col.Requests()
			require.Len(t, reqs, 2, "one export per flush, one at shutdown")
			first, last := summarize(t, reqs[0]), summarize(t, reqs[1])
			for k, v := range tc.wantResource {
				require.Equal(t, v, first.Resource[k], k)
			}
			if tc.name == "resource option replaces" {
				require.NotContains(t, first.Resource, "faas.name")
			}
			require.Equal(t, map[string]float64{
				"lumen_test_invocations_total,result=success": 8,
				"lumen_test_invocations_total,result=error":   2,
				"lumen_test_duration_seconds,count":           10,
				"lumen_test_duration_seconds,sum":             first.Values["lumen_test_duration_seconds,sum"],
				"lumen_test_memory_bytes":                     4096,
			}, first.Values)
			require.InDelta(t, 0.5, first.Values["lumen_test_duration_seconds,sum"], 1e-9) // 4×0.05 + 3×0.1 + 3×0
			require.Equal(t, 11.0, last.Values["lumen_test_invocations_total,result=success"], "cumulative")
			require.Equal(t, 13.0, last.Values["lumen_test_duration_seconds,count"])
		})
	}
}

func TestRandomInstance(t *testing.T) {
	hex16 := regexp.MustCompile(`^[0-9a-f]{16}$`)
	tests := []struct {
		name string
		env  map[string]string
	}{
		{"outside lambda", map[string]string{}},
		{"snapstart ignores the captured stream", map[string]string{
			"AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start",
			"AWS_LAMBDA_LOG_STREAM_NAME":     "2026/11/29/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lambdaEnv(t, tc.env)
			col := newFakeCollector(t, http.StatusOK)
			for range 2 {
				e := newExporter(t, exportertest.NewRegistry(), col.URL)
				require.NoError(t, e.ForceFlush(t.Context()))
				require.NoError(t, e.Shutdown(t.Context()))
			}
			reqs := col.Requests()
			require.Len(t, reqs, 4)
			ids := []string{}
			for _, r := range reqs {
				id := summarize(t, r).Resource["service.instance.id"]
				require.Regexp(t, hex16, id)
				ids = append(ids, id)
			}
			require.Equal(t, ids[0], ids[1], "one environment keeps its id")
			require.Equal(t, ids[2], ids[3])
			require.NotEqual(t, ids[0], ids[2], "each environment draws its own")
		})
	}
}

func TestFailedExportsAreBoundedAndCounted(t *testing.T) {
	tests := []struct {
		name     string
		url      func(t *testing.T) string
		wantIs   error
		wantText string
		budget   time.Duration // default flushBudget
	}{
		{"closed port", func(t *testing.T) string { return exportertest.ClosedURL(t) }, nil, "connection refused", 0},
		{"blackholed endpoint", func(t *testing.T) string { return exportertest.NewBlackhole(t).URL }, context.DeadlineExceeded, "", 0},
		// 503 is retried until the flush budget ends. The budget leaves a
		// loaded machine time for the first answer, and ends before
		// DefaultRetry's 1 s would.
		{"server error", func(t *testing.T) string { return newFakeCollector(t, http.StatusServiceUnavailable).URL }, context.DeadlineExceeded, "retry-able request failure", 800 * time.Millisecond},
		{"rejected export", func(t *testing.T) string { return newFakeCollector(t, http.StatusBadRequest).URL }, nil, "400", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lambdaEnv(t, nil)
			drops := &exportertest.Drops{}
			reg := exportertest.NewRegistry()
			reg.Invoke(3, 0)
			e := newExporter(t, reg, tc.url(t), otlpmetric.WithDropCounter(drops))

			budget := flushBudget
			if tc.budget > 0 {
				budget = tc.budget
			}
			ctx, cancel := context.WithTimeout(t.Context(), budget)
			defer cancel()
			err := e.ForceFlush(ctx)
			require.Error(t, err)
			if tc.wantIs != nil {
				require.ErrorIs(t, err, tc.wantIs)
			}
			require.ErrorContains(t, err, tc.wantText)
			require.ErrorContains(t, err, "export 4 data points")
			items, n := drops.Get()
			require.Equal(t, map[string]int{otlpmetric.Name + "/" + exporters.SignalMetrics: exportertest.RegistryPoints}, items)
			require.Equal(t, 1, n)

			sctx, scancel := context.WithTimeout(t.Context(), flushBudget)
			defer scancel()
			require.Error(t, e.Shutdown(sctx), "the final export fails too")
			require.NoError(t, e.Shutdown(sctx), "second Shutdown is a no-op")
			require.ErrorIs(t, e.ForceFlush(t.Context()), otlpmetric.ErrShutdown)
			_, n = drops.Get()
			require.Equal(t, 2, n)
		})
	}
}

func TestWaitingForAStuckExportIsBounded(t *testing.T) {
	lambdaEnv(t, nil)
	hole := exportertest.NewBlackhole(t)
	e := newExporter(t, exportertest.NewRegistry(), hole.URL)

	stuckCtx, cancelStuck := context.WithCancel(t.Context())
	stuck := make(chan error, 1)
	go func() { stuck <- e.ForceFlush(stuckCtx) }()
	<-hole.Arrived

	for _, call := range []struct {
		name string
		do   func(context.Context) error
	}{{"flush", e.ForceFlush}, {"shutdown", e.Shutdown}} {
		ctx, cancel := context.WithTimeout(t.Context(), flushBudget)
		err := call.do(ctx)
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded, call.name)
		require.ErrorContains(t, err, "waiting for the", call.name)
	}
	cancelStuck()
	require.ErrorIs(t, <-stuck, context.Canceled)
}
