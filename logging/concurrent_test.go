package logging_test

import (
	"log/slog"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/logging"
)

// TestConcurrentInvocationsConcurrentSafe runs many invocations at once
// through shared loggers (plain, WithAttrs, and a clone with a group open,
// whose per-invocation cache is contended) and checks that every line carries
// the request id, X-Ray id and span of the invocation that wrote it.
func TestConcurrentInvocationsConcurrentSafe(t *testing.T) {
	const (
		invocations = 64
		perInvoke   = 30
	)
	for _, format := range formats {
		t.Run(format.String(), func(t *testing.T) {
			l, parse := capture(t, format, logging.WithSampleRate(0.5))
			loggers := []*slog.Logger{l, l.With("shared", "yes"), l.WithGroup("g").With("shared", "yes")}

			var wg sync.WaitGroup
			start := make(chan struct{})
			for n := range invocations {
				wg.Go(func() {
					ctx, _ := invocationCtx(n)
					<-start
					for i := range perInvoke {
						lg := loggers[i%len(loggers)]
						lg.DebugContext(ctx, "line", "n", n, "i", i)
						lg.InfoContext(ctx, "line", "n", n, "i", i)
					}
				})
			}
			close(start)
			wg.Wait()

			ms := parse()
			perN := map[int]int{}
			for _, m := range ms {
				attrs := m
				if g, ok := m["g"].(map[string]any); ok {
					attrs = g
				}
				n, err := strconv.Atoi(str(attrs["n"]))
				require.NoError(t, err, m)
				_, sc := invocationCtx(n)
				require.Equal(t, requestID(n), m[logging.RequestIDKey], m)
				require.Equal(t, requestID(n), m[logging.FunctionRequestIDKey], m)
				require.Equal(t, xrayRoot(n), m[logging.XRayTraceIDKey], m)
				require.Equal(t, sc.TraceID().String(), m[logging.TraceIDKey], m)
				require.Equal(t, sc.SpanID().String(), m[logging.SpanIDKey], m)
				require.Equal(t, strconv.FormatBool(n == 0), str(m[logging.ColdStartKey]), m)
				perN[n]++
			}
			// Every INFO line arrived; DEBUG lines only for sampled invocations,
			// and then all of them.
			for n := range invocations {
				want := perInvoke
				if logging.Sampled(requestID(n), 0.5) {
					want *= 2
				}
				require.Equal(t, want, perN[n], "invocation %d", n)
			}
		})
	}
}
