package otlplog_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	sdklog "go.opentelemetry.io/otel/sdk/log"

	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlplog"
	"github.com/lumen-rt/lumen/logging"
	"github.com/lumen-rt/lumen/tracing"
)

func TestExportRecords(t *testing.T) {
	r := newReceiver(t)
	setEnv(t, r.srv.URL)
	exp, err := otlplog.New(t.Context(), otlplog.WithResource(tracing.NewResource(tracing.Environment{FunctionName: "checkout"})))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, exp.Shutdown(context.Background())) })

	l := slog.New(exp.Handler())
	withSpan, sc := invocationCtx(0, true)
	noSpan, _ := invocationCtx(1, false)
	l.InfoContext(withSpan, "charged", "amount", 42, "password", "hunter2", slog.Group("card", "last4", "4242"))
	l.DebugContext(withSpan, "below the level")
	l.WarnContext(noSpan, "retrying", "attempt", 2)
	l.Log(context.Background(), logging.LevelFatal, "outside any invocation")
	require.NoError(t, exp.ForceFlush(t.Context()))

	got := r.records()
	require.Len(t, got, 3)

	charged := got[0]
	require.Equal(t, "charged", charged.Body)
	require.Equal(t, "INFO", charged.Severity)
	require.Equal(t, sc.TraceID().String(), charged.TraceID)
	require.Equal(t, sc.SpanID().String(), charged.SpanID)
	require.Equal(t, map[string]any{
		"amount":                 int64(42),
		"password":               logging.RedactedValue,
		"card":                   map[string]any{"last4": "4242"},
		"faas.invocation_id":     requestID(0),
		"faas.coldstart":         true,
		"aws.lambda.invoked_arn": "arn:aws:lambda:eu-west-1:123456789012:function:checkout:live",
	}, charged.Attrs)
	require.Equal(t, "checkout", charged.Resource["faas.name"])
	require.Equal(t, "aws_lambda", charged.Resource["cloud.platform"])
	require.Equal(t, otlplog.ScopeName, charged.Scope)

	retrying := got[1]
	require.Equal(t, "WARN", retrying.Severity)
	require.Equal(t, xrayAsTraceID(1), retrying.TraceID, "without a span the X-Ray trace id is used")
	require.Empty(t, retrying.SpanID)
	require.Equal(t, requestID(1), retrying.Attrs["faas.invocation_id"])
	require.Equal(t, false, retrying.Attrs["faas.coldstart"])

	outside := got[2]
	require.Equal(t, "FATAL", outside.Severity)
	require.Empty(t, outside.TraceID)
	require.NotContains(t, outside.Attrs, "faas.invocation_id")
}

func TestConcurrentInvocationsConcurrentSafe(t *testing.T) {
	const invocations, perInvoke = 32, 20
	r := newReceiver(t)
	setEnv(t, r.srv.URL)
	var d exportertest.Drops
	exp, err := otlplog.New(t.Context(), otlplog.WithDropCounter(&d))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, exp.Shutdown(context.Background())) })
	l := slog.New(exp.Handler())
	loggers := []*slog.Logger{l, l.With("shared", true), l.WithGroup("g")}

	var wg sync.WaitGroup
	start := make(chan struct{})
	for n := range invocations {
		wg.Go(func() {
			ctx, _ := invocationCtx(n, n%2 == 0)
			<-start
			for i := range perInvoke {
				loggers[i%len(loggers)].InfoContext(ctx, "line", "n", n)
			}
		})
	}
	close(start)
	wg.Wait()
	require.NoError(t, exp.ForceFlush(t.Context()))

	got := r.records()
	require.Len(t, got, invocations*perInvoke)
	require.Zero(t, droppedLogs(&d))
	for _, rc := range got {
		attrs := rc.Attrs
		if g, ok := attrs["g"].(map[string]any); ok {
			attrs = g
		}
		n := int(attrs["n"].(int64))
		require.Equal(t, requestID(n), rc.Attrs["faas.invocation_id"], rc)
		if n%2 == 0 {
			_, sc := invocationCtx(n, true)
			require.Equal(t, sc.TraceID().String(), rc.TraceID, rc)
			require.Equal(t, sc.SpanID().String(), rc.SpanID, rc)
		} else {
			require.Equal(t, xrayAsTraceID(n), rc.TraceID, rc)
		}
	}
}

func TestShutdown(t *testing.T) {
	r := newReceiver(t)
	setEnv(t, r.srv.URL)
	var d exportertest.Drops
	exp, err := otlplog.New(t.Context(), otlplog.WithDropCounter(&d))
	require.NoError(t, err)
	l := slog.New(exp.Handler())
	l.Info("before")
	require.NoError(t, exp.Shutdown(t.Context()), "Shutdown flushes")
	require.Len(t, r.records(), 1)

	require.NoError(t, exp.Shutdown(t.Context()), "idempotent")
	l.Info("after")
	require.NoError(t, exp.ForceFlush(t.Context()), "a no-op after Shutdown")
	require.Len(t, r.records(), 1)
	require.Equal(t, 1, droppedLogs(&d), "a record logged after Shutdown is counted")
}

func TestLevelPolicy(t *testing.T) {
	tests := []struct {
		name string
		opts []otlplog.Option
		want []string
	}{
		{name: "INFO by default", want: []string{"info", "error"}},
		{name: "ERROR", opts: []otlplog.Option{otlplog.WithLoggingOptions(logging.WithLevel(slog.LevelError))}, want: []string{"error"}},
		{name: "DEBUG", opts: []otlplog.Option{otlplog.WithLoggingOptions(logging.WithLevel(slog.LevelDebug))}, want: []string{"debug", "info", "error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReceiver(t)
			setEnv(t, r.srv.URL)
			exp, err := otlplog.New(t.Context(), tt.opts...)
			require.NoError(t, err)
			defer func() { require.NoError(t, exp.Shutdown(context.Background())) }()
			l := slog.New(exp.Handler())
			l.Debug("debug")
			l.Info("info")
			l.Error("error")
			require.NoError(t, exp.ForceFlush(t.Context()))
			var got []string
			for _, rc := range r.records() {
				got = append(got, rc.Body)
			}
			require.Equal(t, tt.want, got)
		})
	}
}

// TestTimerExport checks the batch processor's own schedule, for long
// invocations: records leave without a ForceFlush.
func TestTimerExport(t *testing.T) {
	r := newReceiver(t)
	setEnv(t, r.srv.URL)
	exp, err := otlplog.New(t.Context(), otlplog.WithBatchOptions(sdklog.WithExportInterval(10*time.Millisecond)))
	require.NoError(t, err)
	defer func() { require.NoError(t, exp.Shutdown(context.Background())) }()
	slog.New(exp.Handler()).Info("on schedule")
	got := r.waitRecords(t, 1)
	require.Equal(t, "on schedule", got[0].Body)
}
