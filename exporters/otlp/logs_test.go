package otlp_test

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/slogtest"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlp"
	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/otlptest"
	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/logging"
)

// newLogs returns a log exporter sending to a new sink.
func newLogs(t *testing.T, opts ...otlp.Option) (*otlp.LogExporter, *collector.Sink) {
	t.Helper()
	sink := collector.NewSink(t)
	exp, err := otlp.NewLogExporter(append([]otlp.Option{otlp.WithEndpoint(sink.URL())}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = exp.Shutdown(context.Background()) })
	return exp, sink
}

// asMap returns a decoded record as testing/slogtest reads a line: time,
// level and msg, and the attributes with dotted keys nested as groups.
func asMap(r *logspb.LogRecord) map[string]any {
	m := map[string]any{slog.LevelKey: r.GetSeverityText(), slog.MessageKey: r.GetBody().GetStringValue()}
	if r.GetTimeUnixNano() != 0 {
		m[slog.TimeKey] = time.Unix(0, int64(r.GetTimeUnixNano()))
	}
	for k, v := range otlptest.Attributes(r.GetAttributes()) {
		cur := m
		parts := strings.Split(k, ".")
		for _, p := range parts[:len(parts)-1] {
			next, ok := cur[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				cur[p] = next
			}
			cur = next
		}
		cur[parts[len(parts)-1]] = v
	}
	return m
}

// TestSlogConformance runs the standard library's handler conformance
// suite over what reaches the receiver.
func TestSlogConformance(t *testing.T) {
	var exp *otlp.LogExporter
	var sink *collector.Sink
	slogtest.Run(t, func(t *testing.T) slog.Handler {
		exp, sink = newLogs(t)
		return exp.Handler()
	}, func(t *testing.T) map[string]any {
		require.NoError(t, exp.ForceFlush(t.Context()))
		recs := sink.LogRecords()
		require.Len(t, recs, 1)
		return asMap(recs[0])
	})
}

// TestLogRecord checks the fields of a record logged in an invocation with
// a span, and of one with only the X-Ray header.
func TestLogRecord(t *testing.T) {
	exp, sink := newLogs(t, otlp.WithResource(testResource))
	log := slog.New(exp.Handler()).With("fn", "hello").WithGroup("req")

	info := &invocation.Info{ColdStart: true, TraceHeader: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"}
	info.Lambda.AwsRequestID = "req-1"
	info.Lambda.InvokedFunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:hello:live"
	ctx := invocation.NewContext(t.Context(), info)
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{9}, SpanID: trace.SpanID{8}, TraceFlags: trace.FlagsSampled})
	before := time.Now()
	log.ErrorContext(trace.ContextWithSpanContext(ctx, sc), "failed", "id", 7)
	log.Log(ctx, logging.LevelFatal, "header only")
	log.Log(context.Background(), logging.LevelTrace, "no invocation")
	require.NoError(t, exp.ForceFlush(t.Context()))

	recs := sink.LogRecords()
	require.Len(t, recs, 3)
	r := recs[0]
	require.Equal(t, "failed", r.GetBody().GetStringValue())
	require.Equal(t, logspb.SeverityNumber_SEVERITY_NUMBER_ERROR, r.GetSeverityNumber())
	require.Equal(t, "ERROR", r.GetSeverityText())
	require.GreaterOrEqual(t, r.GetTimeUnixNano(), uint64(before.UnixNano()))
	require.GreaterOrEqual(t, r.GetObservedTimeUnixNano(), r.GetTimeUnixNano())
	require.Equal(t, sc.TraceID().String(), fmt.Sprintf("%x", r.GetTraceId()))
	require.Equal(t, sc.SpanID().String(), fmt.Sprintf("%x", r.GetSpanId()))
	require.Equal(t, uint32(1), r.GetFlags())
	require.Equal(t, map[string]any{
		"fn": "hello", "req.id": int64(7),
		string(semconv.FaaSInvocationIDKey): "req-1", string(semconv.FaaSColdstartKey): true,
		string(semconv.AWSLambdaInvokedARNKey): info.Lambda.InvokedFunctionArn,
	}, otlptest.Attributes(r.GetAttributes()))

	r = recs[1]
	require.Equal(t, logspb.SeverityNumber_SEVERITY_NUMBER_FATAL, r.GetSeverityNumber())
	require.Equal(t, "FATAL", r.GetSeverityText())
	require.Equal(t, "5759e988bd862e3fe1be46a994272793", fmt.Sprintf("%x", r.GetTraceId()), "from the X-Ray header")
	require.Empty(t, r.GetSpanId())

	r = recs[2]
	require.Equal(t, logspb.SeverityNumber_SEVERITY_NUMBER_TRACE, r.GetSeverityNumber())
	require.Equal(t, "TRACE", r.GetSeverityText())
	require.Empty(t, r.GetTraceId())
	require.Equal(t, map[string]any{"fn": "hello"}, otlptest.Attributes(r.GetAttributes()))
}

// TestLogLambdaContext reads the request id and ARN from aws-lambda-go's
// context when the invocation has no Info (a handler test, for example).
func TestLogLambdaContext(t *testing.T) {
	exp, sink := newLogs(t)
	ctx := lambdacontext.NewContext(t.Context(), &lambdacontext.LambdaContext{AwsRequestID: "req-2", InvokedFunctionArn: "arn:x"})
	slog.New(exp.Handler()).InfoContext(ctx, "hi")
	require.NoError(t, exp.ForceFlush(t.Context()))
	require.Equal(t, map[string]any{"faas.invocation_id": "req-2", "aws.lambda.invoked_arn": "arn:x"},
		otlptest.Attributes(sink.LogRecords()[0].GetAttributes()))
}

// TestLogSeverities checks the severity number of each of Lambda's levels
// and of levels between and beyond them.
func TestLogSeverities(t *testing.T) {
	exp, sink := newLogs(t)
	levels := map[slog.Level]logspb.SeverityNumber{
		logging.LevelTrace - 8: logspb.SeverityNumber_SEVERITY_NUMBER_TRACE,
		logging.LevelTrace:     logspb.SeverityNumber_SEVERITY_NUMBER_TRACE,
		slog.LevelDebug:        logspb.SeverityNumber_SEVERITY_NUMBER_DEBUG,
		slog.LevelInfo:         logspb.SeverityNumber_SEVERITY_NUMBER_INFO,
		slog.LevelInfo + 2:     logspb.SeverityNumber_SEVERITY_NUMBER_INFO3,
		slog.LevelWarn:         logspb.SeverityNumber_SEVERITY_NUMBER_WARN,
		slog.LevelError:        logspb.SeverityNumber_SEVERITY_NUMBER_ERROR,
		logging.LevelFatal:     logspb.SeverityNumber_SEVERITY_NUMBER_FATAL,
		logging.LevelFatal + 9: logspb.SeverityNumber_SEVERITY_NUMBER_FATAL4,
	}
	log := slog.New(exp.Handler())
	for l := range levels {
		log.Log(t.Context(), l, fmt.Sprint(int(l)))
	}
	require.NoError(t, exp.ForceFlush(t.Context()))
	got := map[slog.Level]logspb.SeverityNumber{}
	for _, r := range sink.LogRecords() {
		var l int
		_, err := fmt.Sscan(r.GetBody().GetStringValue(), &l)
		require.NoError(t, err)
		got[slog.Level(l)] = r.GetSeverityNumber()
		require.Equal(t, logging.LevelName(slog.Level(l)), r.GetSeverityText())
	}
	require.Equal(t, levels, got)
}

// TestLogBounds drops and counts the records beyond the bounds, and sends
// the rest.
func TestLogBounds(t *testing.T) {
	for _, tt := range []struct {
		name string
		opt  otlp.Option
	}{
		{name: "records", opt: otlp.WithMaxRecords(3)},
		{name: "bytes", opt: otlp.WithMaxBytes(3 * 60)}, // a record below is 50 to 60 bytes
	} {
		t.Run(tt.name, func(t *testing.T) {
			var drops exportertest.Drops
			exp, sink := newLogs(t, tt.opt, otlp.WithDropCounter(&drops))
			log := slog.New(exp.Handler())
			for i := range 5 {
				log.Info("record", "i", i)
			}
			require.Equal(t, 2, drops.Count(otlp.Name, exporters.SignalLogs))
			require.NoError(t, exp.ForceFlush(t.Context()))
			require.Len(t, sink.LogRecords(), 3)
			log.Info("room again")
			require.NoError(t, exp.ForceFlush(t.Context()))
			require.Len(t, sink.LogRecords(), 4)
		})
	}
}

// TestLogHalfFull follows the records held against each bound: logged,
// sent, and kept after a failure the backend may recover from.
func TestLogHalfFull(t *testing.T) {
	for _, tt := range []struct {
		name string
		opt  otlp.Option
	}{
		{name: "records", opt: otlp.WithMaxRecords(4)},
		{name: "bytes", opt: otlp.WithMaxBytes(4 * 60)}, // a record below is 50 to 60 bytes
	} {
		t.Run(tt.name, func(t *testing.T) {
			exp, sink := newLogs(t, tt.opt)
			log := slog.New(exp.Handler())
			require.False(t, exp.HalfFull())
			log.Info("record", "i", 1)
			require.False(t, exp.HalfFull(), "one of four")
			log.Info("record", "i", 2)
			log.Info("record", "i", 3)
			require.True(t, exp.HalfFull(), "three of four")
			require.NoError(t, exp.ForceFlush(t.Context()))
			require.False(t, exp.HalfFull(), "sent")
			log.Info("record", "i", 4)
			log.Info("record", "i", 5)
			log.Info("record", "i", 6)
			sink.SetStatus(http.StatusServiceUnavailable)
			require.Error(t, exp.ForceFlush(t.Context()))
			require.True(t, exp.HalfFull(), "kept for the next flush")
		})
	}
}

// TestLogKeptOnRetryableFailure keeps the records of a flush the backend
// may accept later, with those logged since, within the bounds; they
// arrive once it heals. A non-retryable failure drops them.
func TestLogKeptOnRetryableFailure(t *testing.T) {
	var drops exportertest.Drops
	exp, sink := newLogs(t, otlp.WithMaxRecords(4), otlp.WithDropCounter(&drops))
	log := slog.New(exp.Handler())
	log.Info("a")
	log.Info("b")
	sink.SetStatus(http.StatusServiceUnavailable)
	require.Error(t, exp.ForceFlush(t.Context()))
	require.Zero(t, drops.Count(otlp.Name, exporters.SignalLogs), "kept, not dropped")
	for _, m := range []string{"c", "d", "e"} {
		log.Info(m)
	}
	require.Error(t, exp.ForceFlush(t.Context()))
	require.Equal(t, 1, drops.Count(otlp.Name, exporters.SignalLogs), "e is beyond 4 records")

	sink.SetStatus(http.StatusOK)
	require.NoError(t, exp.ForceFlush(t.Context()))
	var got []string
	for _, r := range sink.LogRecords() {
		got = append(got, r.GetBody().GetStringValue())
	}
	require.Equal(t, []string{"a", "b", "c", "d"}, got, "in order, once")

	log.Info("f")
	sink.SetStatus(http.StatusBadRequest)
	require.Error(t, exp.ForceFlush(t.Context()))
	require.Equal(t, 2, drops.Count(otlp.Name, exporters.SignalLogs), "f is dropped: the backend refused it")
	sink.SetStatus(http.StatusOK)
	require.NoError(t, exp.ForceFlush(t.Context()))
	require.Len(t, sink.LogRecords(), 4)
}

// TestLogKeptWhileFlushing keeps records logged while a flush is in flight
// out of that request, and sends them next time.
func TestLogKeptWhileFlushing(t *testing.T) {
	hole := exportertest.NewBlackhole(t)
	var drops exportertest.Drops
	exp, err := otlp.NewLogExporter(otlp.WithEndpoint(hole.URL), otlp.WithDropCounter(&drops))
	require.NoError(t, err)
	log := slog.New(exp.Handler())
	log.Info("first")
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- exp.ForceFlush(ctx) }()
	<-hole.Arrived
	log.Info("during")
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)

	require.Error(t, exp.Shutdown(canceled()), "the final flush cannot run")
	require.Equal(t, 2, drops.Count(otlp.Name, exporters.SignalLogs), "both kept until the final flush failed")
}

// canceled returns a context that is already done.
func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// TestLogShutdown sends what is pending once, then drops and counts what
// is logged later; ForceFlush and Shutdown do nothing afterwards.
func TestLogShutdown(t *testing.T) {
	var drops exportertest.Drops
	exp, sink := newLogs(t, otlp.WithDropCounter(&drops))
	log := slog.New(exp.Handler())
	log.Info("last words")
	require.NoError(t, exp.Shutdown(t.Context()))
	require.Len(t, sink.LogRecords(), 1)
	log.Info("too late")
	require.Equal(t, 1, drops.Count(otlp.Name, exporters.SignalLogs))
	require.NoError(t, exp.ForceFlush(t.Context()))
	require.NoError(t, exp.Shutdown(t.Context()))
	require.Len(t, sink.LogRecords(), 1)
	require.Equal(t, otlp.Name, exp.Name())
}

// TestLogConcurrentSafe logs from many goroutines, with attributes and
// groups, while flushing: every record arrives once and intact.
func TestLogConcurrentSafe(t *testing.T) {
	exp, sink := newLogs(t, otlp.WithMaxRecords(1<<20), otlp.WithMaxBytes(1<<30))
	base := slog.New(exp.Handler()).With("service", "hello")
	const workers, each = 8, 200
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			log := base.WithGroup(fmt.Sprint("w", w))
			for i := range each {
				log.Info("msg", "i", i)
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			_ = exp.ForceFlush(t.Context())
		}
	})
	wg.Wait()
	require.NoError(t, exp.ForceFlush(t.Context()))
	recs := sink.LogRecords()
	require.Len(t, recs, workers*each)
	seen := map[string]bool{}
	for _, r := range recs {
		attrs := otlptest.Attributes(r.GetAttributes())
		require.Equal(t, "hello", attrs["service"])
		delete(attrs, "service")
		require.Len(t, attrs, 1)
		for k, v := range maps.All(attrs) {
			key := fmt.Sprint(k, "=", v)
			require.False(t, seen[key], "once: %s", key)
			seen[key] = true
		}
	}
}

// TestLogWrapped checks the policy of logging.Wrap over the handler: the
// level filters and redaction applies.
func TestLogWrapped(t *testing.T) {
	exp, sink := newLogs(t)
	log := slog.New(logging.Wrap(exp.Handler(), logging.WithLevel(slog.LevelInfo)))
	log.Debug("hidden")
	log.Info("shown", "password", "hunter2")
	require.NoError(t, exp.ForceFlush(t.Context()))
	recs := sink.LogRecords()
	require.Len(t, recs, 1)
	require.NotEqual(t, "hunter2", otlptest.Attributes(recs[0].GetAttributes())["password"])
}

var _ sdktrace.SpanExporter = (*otlp.SpanExporter)(nil)
