package logging_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/logging"
)

// allLevels are Lambda's six levels in order, as slog levels.
var allLevels = []slog.Level{logging.LevelTrace, slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError, logging.LevelFatal}

func TestLevel(t *testing.T) {
	tests := []struct {
		level string   // Lambda's level name as AWS_LAMBDA_LOG_LEVEL spells it; "" for no option
		want  []string // level names written, in order
	}{
		{level: "", want: []string{"INFO", "WARN", "ERROR", "FATAL"}},
		{level: "TRACE", want: []string{"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}},
		{level: "debug", want: []string{"DEBUG", "INFO", "WARN", "ERROR", "FATAL"}},
		{level: "Info", want: []string{"INFO", "WARN", "ERROR", "FATAL"}},
		{level: "WARN", want: []string{"WARN", "ERROR", "FATAL"}},
		{level: " ERROR ", want: []string{"ERROR", "FATAL"}},
		{level: "FATAL", want: []string{"FATAL"}},
	}
	for _, format := range formats {
		for _, tt := range tests {
			t.Run(format.String()+"/"+tt.level, func(t *testing.T) {
				var opts []logging.Option
				if tt.level != "" {
					lv, err := logging.ParseLevel(tt.level)
					require.NoError(t, err)
					opts = append(opts, logging.WithLevel(lv))
				}
				l, parse := capture(t, format, opts...)
				for _, lv := range allLevels {
					l.Log(t.Context(), lv, "at "+logging.LevelName(lv))
				}
				var got []string
				for _, m := range parse() {
					require.Equal(t, "at "+str(m[logging.LevelKey]), m[logging.MessageKey])
					got = append(got, str(m[logging.LevelKey]))
				}
				require.Equal(t, tt.want, got)
			})
		}
	}
}

func TestTimestamp(t *testing.T) {
	cest := time.FixedZone("CEST", 2*3600)
	tests := []struct {
		name       string
		t          time.Time
		json, text string
	}{
		{name: "sub-millisecond digits dropped, converted to UTC", t: fixedTime.In(cest).Add(1234567 * time.Microsecond),
			json: "2024-05-01T12:00:01.234Z", text: "2024-05-01T12:00:01.234Z"},
		{name: "trailing zeros", t: fixedTime.Add(230 * time.Millisecond),
			json: "2024-05-01T12:00:00.230Z", text: "2024-05-01T12:00:00.230Z"},
		{name: "same millisecond, other zone", t: fixedTime.In(cest).Add(230*time.Millisecond + 500*time.Microsecond),
			json: "2024-05-01T12:00:00.230Z", text: "2024-05-01T12:00:00.230Z"},
		{name: "whole second", t: fixedTime.Add(999 * time.Microsecond),
			json: "2024-05-01T12:00:00.000Z", text: "2024-05-01T12:00:00.000Z"},
		{name: "another day, same millisecond of the second", t: fixedTime.AddDate(0, 0, 1).Add(999 * time.Microsecond),
			json: "2024-05-02T12:00:00.000Z", text: "2024-05-02T12:00:00.000Z"},
	}
	// One handler per format for the whole table: consecutive lines share
	// or change the cached timestamp.
	var buf bytes.Buffer
	handlers := map[logging.Format]slog.Handler{}
	for _, format := range formats {
		handlers[format] = logging.NewHandler(&buf, logging.WithFormat(format))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, format := range formats {
				h := handlers[format]
				buf.Reset()
				require.NoError(t, h.Handle(t.Context(), slog.NewRecord(tt.t, slog.LevelInfo, "m", 0)))
				m := parseLine(t, format, strings.TrimSpace(buf.String()))
				want := tt.json
				if format == logging.FormatText {
					want = tt.text
				}
				require.Equal(t, want, m[logging.TimestampKey], format)
				got, err := time.Parse(time.RFC3339, want)
				require.NoError(t, err)
				require.Equal(t, tt.t.Truncate(time.Millisecond).UTC(), got)
				require.NotContains(t, m, slog.TimeKey)
				require.NotContains(t, m, slog.MessageKey)
			}
		})
	}
	// A zero time is omitted, as slog's contract asks.
	for _, format := range formats {
		buf.Reset()
		require.NoError(t, handlers[format].Handle(t.Context(), slog.Record{Level: slog.LevelInfo, Message: "zero"}))
		m := parseLine(t, format, strings.TrimSpace(buf.String()))
		require.NotContains(t, m, logging.TimestampKey)
	}
}

func TestLevelName(t *testing.T) {
	tests := []struct {
		level slog.Level
		want  string
	}{
		{logging.LevelTrace - 4, "TRACE"},
		{logging.LevelTrace, "TRACE"},
		{slog.LevelDebug - 1, "TRACE"},
		{slog.LevelDebug, "DEBUG"},
		{slog.LevelInfo, "INFO"},
		{slog.LevelInfo + 2, "INFO"},
		{slog.LevelWarn, "WARN"},
		{slog.LevelError, "ERROR"},
		{logging.LevelFatal - 1, "ERROR"},
		{logging.LevelFatal, "FATAL"},
		{logging.LevelFatal + 8, "FATAL"},
	}
	for _, tt := range tests {
		t.Run(tt.want+"/"+tt.level.String(), func(t *testing.T) {
			require.Equal(t, tt.want, logging.LevelName(tt.level))
			back, err := logging.ParseLevel(tt.want)
			require.NoError(t, err)
			require.Equal(t, tt.want, logging.LevelName(back))
		})
	}
	_, err := logging.ParseLevel("LOUD")
	require.ErrorContains(t, err, `"LOUD"`)
	_, err = logging.ParseFormat("xml")
	require.ErrorContains(t, err, `"xml"`)
}

func TestCorrelationFields(t *testing.T) {
	info := newInfo(3, true)
	info.Lambda.TenantID = "tenant-a"
	lc := &lambdacontext.LambdaContext{AwsRequestID: requestID(4), InvokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:other"}
	//lint:ignore SA1029 aws-lambda-go's key is a string
	lcCtx := context.WithValue(lambdacontext.NewContext(context.Background(), lc), "x-amzn-trace-id", "Root="+xrayRoot(4)+";Parent=53995c3f42cd8ad8;Sampled=0")
	spanOnly, sc5 := withSpan(context.Background(), 5)
	both, sc3 := withSpan(invocation.NewContext(context.Background(), info), 3)

	tests := []struct {
		name string
		ctx  context.Context
		want map[string]string // key → value; "<absent>" for a missing key
	}{
		{name: "no invocation", ctx: context.Background(), want: map[string]string{
			logging.RequestIDKey: "<absent>", logging.FunctionNameKey: "<absent>", logging.ColdStartKey: "<absent>",
			logging.TraceIDKey: "<absent>", logging.SpanIDKey: "<absent>", logging.XRayTraceIDKey: "<absent>",
		}},
		{name: "invocation and span", ctx: both, want: map[string]string{
			logging.RequestIDKey: requestID(3), logging.FunctionRequestIDKey: requestID(3),
			logging.ColdStartKey: "true", logging.FunctionNameKey: "checkout", logging.FunctionMemorySizeKey: "512",
			logging.FunctionARNKey: info.Lambda.InvokedFunctionArn, logging.XRayTraceIDKey: xrayRoot(3),
			logging.TenantIDKey: "tenant-a", logging.TraceIDKey: sc3.TraceID().String(), logging.SpanIDKey: sc3.SpanID().String(),
		}},
		{name: "aws-lambda-go context", ctx: lcCtx, want: map[string]string{
			logging.RequestIDKey: requestID(4), logging.FunctionRequestIDKey: requestID(4),
			logging.ColdStartKey: "<absent>", logging.FunctionNameKey: "checkout",
			logging.FunctionARNKey: lc.InvokedFunctionArn, logging.XRayTraceIDKey: xrayRoot(4),
			logging.TenantIDKey: "<absent>", logging.TraceIDKey: "<absent>",
		}},
		{name: "span only", ctx: spanOnly, want: map[string]string{
			logging.RequestIDKey: "<absent>", logging.FunctionNameKey: "<absent>",
			logging.TraceIDKey: sc5.TraceID().String(), logging.SpanIDKey: sc5.SpanID().String(),
		}},
	}
	for _, format := range formats {
		for _, tt := range tests {
			t.Run(format.String()+"/"+tt.name, func(t *testing.T) {
				l, parse := capture(t, format, logging.WithFunctionName("checkout"), logging.WithFunctionMemorySize(512))
				l.InfoContext(tt.ctx, "plain", "k", "v")
				l.With("w", 1).WithGroup("g").With("x", 2).InfoContext(tt.ctx, "grouped", "k", "v")
				ms := parse()
				require.Len(t, ms, 2)
				for _, m := range ms {
					for k, v := range tt.want {
						require.Equal(t, v, str(m[k]), "key %s in %v", k, m)
					}
				}
				require.Equal(t, "v", ms[0]["k"])
				// The fields stay at the top level; the record's attributes go in the group.
				g, ok := ms[1]["g"].(map[string]any)
				require.True(t, ok, ms[1])
				require.Equal(t, "v", g["k"])
				require.Equal(t, "2", str(g["x"]))
				require.Equal(t, "1", str(ms[1]["w"]))
				require.NotContains(t, g, logging.RequestIDKey)
			})
		}
	}
}

// TestFirstLineLikeTheNext checks that an invocation's first line, whose
// fields go into the record, is written exactly as its later lines, written
// through the handler prepared for the invocation: same fields, same order,
// same hooks and redaction.
func TestFirstLineLikeTheNext(t *testing.T) {
	upper := func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == logging.FunctionNameKey {
			a.Value = slog.StringValue(strings.ToUpper(a.Value.String()))
		}
		return a
	}
	for _, format := range formats {
		for _, with := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v/with=%v", format, with), func(t *testing.T) {
				var buf bytes.Buffer
				var h slog.Handler = logging.NewHandler(&buf, logging.WithFormat(format), logging.WithService("checkout"),
					logging.WithFunctionName("checkout"), logging.WithFunctionMemorySize(512), logging.WithReplaceAttr(upper))
				if with {
					h = h.WithAttrs([]slog.Attr{slog.String("component", "payments")})
				}
				for n := 1; n <= 2; n++ {
					ctx, _ := invocationCtx(n)
					for range 3 {
						r := slog.NewRecord(fixedTime, slog.LevelInfo, "charged", 0)
						r.AddAttrs(slog.Int("amount", 42), slog.String("token", "secret"), slog.Group("card", slog.String("last4", "4242")))
						require.NoError(t, h.Handle(ctx, r))
					}
				}
				lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
				require.Len(t, lines, 6)
				for _, inv := range [][]string{lines[:3], lines[3:]} {
					require.Equal(t, inv[0], inv[1])
					require.Equal(t, inv[0], inv[2])
				}
				require.NotEqual(t, lines[0], lines[3])
				require.Contains(t, lines[0], "CHECKOUT")
				require.NotContains(t, lines[0], "secret")
			})
		}
	}
}

func TestRecordNotModified(t *testing.T) {
	ctx, _ := invocationCtx(1)
	var buf bytes.Buffer
	h := logging.NewHandler(&buf, logging.WithFormat(logging.FormatJSON))
	r := slog.NewRecord(fixedTime, slog.LevelInfo, "m", 0)
	for i := range 7 { // past the record's inline storage
		r.AddAttrs(slog.Int("a"+string(rune('0'+i)), i))
	}
	r.AddAttrs(slog.String("password", "hunter2"))
	before := r.Clone()
	require.NoError(t, h.Handle(ctx, r))
	require.NoError(t, h.WithGroup("g").Handle(ctx, r))
	require.Equal(t, attrsOf(before), attrsOf(r))
	require.Contains(t, attrsOf(r), "password=hunter2")
}

func attrsOf(r slog.Record) []string {
	var out []string
	r.Attrs(func(a slog.Attr) bool {
		out = append(out, a.String())
		return true
	})
	return out
}

func TestErr(t *testing.T) {
	l, parse := capture(t, logging.FormatJSON)
	l.Error("failed", logging.Err(&myError{"disk\nfull"}))
	l.Error("fine", logging.Err(nil))
	l.Error("plain", logging.Err(errors.New("boom")))
	ms := parse()
	require.Len(t, ms, 3)
	require.Equal(t, "myError", ms[0][logging.ErrorTypeKey])
	require.Equal(t, "disk\nfull", ms[0][logging.ErrorMessageKey])
	require.NotContains(t, ms[1], logging.ErrorTypeKey)
	require.Equal(t, "errorString", ms[2][logging.ErrorTypeKey])
}

type myError struct{ msg string }

func (e *myError) Error() string { return e.msg }

// TestReusedInfo checks that the field cache keys on values, not on the
// Info pointer: a runtime that reuses its structures still gets the fields
// of the invocation in flight.
func TestReusedInfo(t *testing.T) {
	l, parse := capture(t, logging.FormatJSON)
	info := newInfo(1, true)
	ctx := invocation.NewContext(context.Background(), info)
	l.InfoContext(ctx, "first")
	info.Lambda.AwsRequestID, info.ColdStart = requestID(2), false
	l.InfoContext(ctx, "second")
	ms := parse()
	require.Len(t, ms, 2)
	require.Equal(t, requestID(1), ms[0][logging.RequestIDKey])
	require.Equal(t, true, ms[0][logging.ColdStartKey])
	require.Equal(t, requestID(2), ms[1][logging.RequestIDKey])
	require.Equal(t, false, ms[1][logging.ColdStartKey])
}
