package logging_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/logging"
)

// newInfo returns an Info for request id n with an X-Ray header whose Root is
// derived from n.
func newInfo(n int, cold bool) *invocation.Info {
	info := &invocation.Info{
		TraceHeader: fmt.Sprintf("Root=%s;Parent=53995c3f42cd8ad8;Sampled=1", xrayRoot(n)),
		ColdStart:   cold,
	}
	info.Lambda.AwsRequestID = requestID(n)
	info.Lambda.InvokedFunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:checkout:live"
	return info
}

func requestID(n int) string { return fmt.Sprintf("8476a536-e9f4-11e8-9739-%012d", n) }
func xrayRoot(n int) string  { return fmt.Sprintf("1-5759e988-%024x", n) }

// withSpan returns ctx with a sampled remote span whose ids derive from n.
func withSpan(ctx context.Context, n int) (context.Context, trace.SpanContext) {
	var tid trace.TraceID
	var sid trace.SpanID
	copy(tid[:], fmt.Sprintf("t%015d", n))
	copy(sid[:], fmt.Sprintf("s%07d", n))
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: trace.FlagsSampled})
	return trace.ContextWithSpanContext(ctx, sc), sc
}

// invocationCtx returns a context carrying invocation n and a span.
func invocationCtx(n int) (context.Context, trace.SpanContext) {
	return withSpan(invocation.NewContext(context.Background(), newInfo(n, n == 0)), n)
}

// lockedBuffer is a bytes.Buffer safe for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// lines splits output into non-empty lines.
func lines(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' })
}

func parseJSON(t *testing.T, line string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(line), &m), line)
	return m
}

// parseText parses one logfmt line as slog.TextHandler writes it, quoted keys
// and values included; dotted keys become nested maps. Values are strings.
func parseText(t *testing.T, line string) map[string]any {
	t.Helper()
	m := map[string]any{}
	s := line
	for s != "" {
		key, rest := readToken(t, s, '=')
		require.True(t, strings.HasPrefix(rest, "="), "no = after key %q in %q", key, line)
		val, rest := readToken(t, rest[1:], ' ')
		s = strings.TrimPrefix(rest, " ")
		parts := strings.Split(key, ".")
		cur := m
		for _, p := range parts[:len(parts)-1] {
			sub, ok := cur[p].(map[string]any)
			if !ok {
				sub = map[string]any{}
				cur[p] = sub
			}
			cur = sub
		}
		cur[parts[len(parts)-1]] = val
	}
	return m
}

// readToken reads a possibly quoted token ending at stop or the end of s.
func readToken(t *testing.T, s string, stop byte) (string, string) {
	t.Helper()
	if strings.HasPrefix(s, `"`) {
		q, err := strconv.QuotedPrefix(s)
		require.NoError(t, err, s)
		v, err := strconv.Unquote(q)
		require.NoError(t, err)
		return v, s[len(q):]
	}
	i := strings.IndexByte(s, stop)
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

// fixedTime pins the timestamp so lines can be compared whole.
var fixedTime = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// capture returns a logger writing through NewHandler(opts...) into a buffer
// safe for concurrent writers, and a function parsing every line written so
// far in the handler's format.
func capture(t *testing.T, format logging.Format, opts ...logging.Option) (*slog.Logger, func() []map[string]any) {
	t.Helper()
	buf := new(lockedBuffer)
	opts = append([]logging.Option{logging.WithFormat(format)}, opts...)
	l := slog.New(logging.NewHandler(buf, opts...))
	return l, func() []map[string]any {
		var out []map[string]any
		for _, line := range lines(buf.String()) {
			out = append(out, parseLine(t, format, line))
		}
		return out
	}
}

// parseLine parses one line in format.
func parseLine(t *testing.T, format logging.Format, line string) map[string]any {
	t.Helper()
	if format == logging.FormatJSON {
		return parseJSON(t, line)
	}
	return parseText(t, line)
}

// str formats a parsed value the way the text format writes it, so JSON and
// text lines can be checked with the same expectations.
func str(v any) string {
	switch v := v.(type) {
	case nil:
		return "<absent>"
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

var formats = []logging.Format{logging.FormatJSON, logging.FormatText}
