package logging_test

import (
	"context"
	"log"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/logging"
)

// install calls logging.Install(opts...) with os.Stdout redirected, and
// restores slog's default logger, the log package's output and flags, and
// the current invocation when t ends. It returns a function parsing the
// lines written so far.
func install(t *testing.T, format logging.Format, opts ...logging.Option) func() []map[string]any {
	t.Helper()
	read := redirectStdout(t)
	prev, prevOut, prevFlags := slog.Default(), log.Writer(), log.Flags()
	t.Cleanup(func() {
		logging.ClearCurrent()
		slog.SetDefault(prev)
		log.SetOutput(prevOut)
		log.SetFlags(prevFlags)
	})
	logging.Install(append([]logging.Option{logging.WithFormat(format)}, opts...)...)
	return func() []map[string]any {
		var out []map[string]any
		for _, line := range lines(read()) {
			out = append(out, parseLine(t, format, line))
		}
		return out
	}
}

// requireInvocation checks that m carries the fields of invocation n and its
// span (invocationCtx(n)).
func requireInvocation(t *testing.T, n int, m map[string]any) {
	t.Helper()
	_, sc := invocationCtx(n)
	require.Equal(t, requestID(n), m[logging.RequestIDKey], m)
	require.Equal(t, requestID(n), m[logging.FunctionRequestIDKey], m)
	require.Equal(t, xrayRoot(n), m[logging.XRayTraceIDKey], m)
	require.Equal(t, sc.TraceID().String(), m[logging.TraceIDKey], m)
	require.Equal(t, sc.SpanID().String(), m[logging.SpanIDKey], m)
	require.Equal(t, strconv.FormatBool(n == 0), str(m[logging.ColdStartKey]), m)
}

// requireNoInvocation checks that m carries no correlation field.
func requireNoInvocation(t *testing.T, m map[string]any) {
	t.Helper()
	for _, k := range []string{logging.RequestIDKey, logging.FunctionRequestIDKey, logging.XRayTraceIDKey,
		logging.TraceIDKey, logging.SpanIDKey, logging.ColdStartKey, logging.FunctionNameKey} {
		require.NotContains(t, m, k)
	}
}

func TestLinesWithoutContextCarryCurrentInvocation(t *testing.T) {
	for _, format := range formats {
		t.Run(format.String(), func(t *testing.T) {
			parse := install(t, format, logging.WithFunctionName("checkout"))
			own, _ := invocationCtx(4)
			spanOnly, sc5 := withSpan(context.Background(), 5)

			log.Print("before any invocation")
			logging.SetCurrent(invCtx(3))
			log.Printf("from the log package %d", 1)
			slog.Info("from slog without a context")
			slog.InfoContext(own, "with an invocation of its own")
			slog.InfoContext(spanOnly, "with a span of its own")
			logging.ClearCurrent()
			log.Print("after ClearCurrent")
			logging.SetCurrent(invCtx(6))
			logging.SetCurrent(context.Background()) // nothing to attribute: clears
			log.Print("after SetCurrent without an invocation")

			ms := parse()
			require.Len(t, ms, 7)
			requireNoInvocation(t, ms[0])
			for _, m := range ms[1:3] {
				requireInvocation(t, 3, m)
				require.Equal(t, "checkout", m[logging.FunctionNameKey])
				require.Equal(t, "INFO", m[logging.LevelKey])
			}
			require.Equal(t, "from the log package 1", ms[1][logging.MessageKey])
			requireInvocation(t, 4, ms[3])
			require.NotContains(t, ms[4], logging.RequestIDKey)
			require.Equal(t, sc5.TraceID().String(), ms[4][logging.TraceIDKey])
			require.Equal(t, sc5.SpanID().String(), ms[4][logging.SpanIDKey])
			requireNoInvocation(t, ms[5])
			requireNoInvocation(t, ms[6])
		})
	}
}

// TestSamplingFollowsCurrentInvocation checks that the debug-sampling
// decision of a line without a context is the current invocation's.
func TestSamplingFollowsCurrentInvocation(t *testing.T) {
	t.Cleanup(logging.ClearCurrent)
	l, parse := capture(t, logging.FormatJSON, logging.WithSampleRate(1))
	spanOnly, _ := withSpan(context.Background(), 5)
	l.Debug("outside: not sampled")
	logging.SetCurrent(invCtx(3))
	l.Debug("current invocation: sampled")
	l.DebugContext(spanOnly, "own span, no invocation: not sampled")
	logging.ClearCurrent()
	l.Debug("cleared: not sampled")
	ms := parse()
	require.Len(t, ms, 1)
	require.Equal(t, "current invocation: sampled", ms[0][logging.MessageKey])
	requireInvocation(t, 3, ms[0])
}

// ctxRecorder is a slog.Handler recording the context of each record.
type ctxRecorder struct {
	mu   sync.Mutex
	ctxs []context.Context
}

func (r *ctxRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *ctxRecorder) Handle(ctx context.Context, _ slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ctxs = append(r.ctxs, ctx)
	return nil
}
func (r *ctxRecorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *ctxRecorder) WithGroup(string) slog.Handler      { return r }

// TestWrapPassesCurrentContext checks that a handler behind Wrap, such as
// the OpenTelemetry bridge, gets the current invocation's context for a line
// logged without one, so it finds the span there.
func TestWrapPassesCurrentContext(t *testing.T) {
	t.Cleanup(logging.ClearCurrent)
	rec := &ctxRecorder{}
	l := slog.New(logging.Wrap(rec))
	own, sc4 := invocationCtx(4)
	cur, sc3 := invocationCtx(3)
	l.Info("outside")
	logging.SetCurrent(cur)
	l.Info("current")
	l.InfoContext(own, "own")
	logging.ClearCurrent()
	l.Info("cleared")

	require.Len(t, rec.ctxs, 4)
	require.False(t, trace.SpanContextFromContext(rec.ctxs[0]).IsValid())
	require.Equal(t, sc3, trace.SpanContextFromContext(rec.ctxs[1]))
	info, ok := invocation.FromContext(rec.ctxs[1])
	require.True(t, ok)
	require.Equal(t, requestID(3), info.Lambda.AwsRequestID)
	require.Equal(t, sc4, trace.SpanContextFromContext(rec.ctxs[2]))
	require.False(t, trace.SpanContextFromContext(rec.ctxs[3]).IsValid())
}

// TestCurrentInvocationConcurrentSafe runs invocations one after another, as
// the runtime does at concurrency 1, while writers log without a context:
// some in step with each invocation, others freely across SetCurrent and
// ClearCurrent. Every line carries one invocation's fields whole, or none;
// a line logged inside an invocation carries that invocation's.
func TestCurrentInvocationConcurrentSafe(t *testing.T) {
	const (
		invocations = 40
		writers     = 4
		perWriter   = 5
	)
	t.Cleanup(logging.ClearCurrent)
	l, parse := capture(t, logging.FormatJSON)
	std := slog.NewLogLogger(l.Handler(), slog.LevelInfo) // the log package's bridge, as Install sets it up

	stop := make(chan struct{})
	var free sync.WaitGroup
	for range 2 {
		free.Go(func() {
			for range 2000 { // a bound, should the invocations outlast it
				select {
				case <-stop:
					return
				default:
				}
				std.Print("free")
				l.Info("free")
			}
		})
	}
	for n := range invocations {
		logging.SetCurrent(invCtx(n))
		var inStep sync.WaitGroup
		for range writers {
			inStep.Go(func() {
				for range perWriter {
					std.Printf("in step %d", n)
					l.Info("in step", "n", n)
				}
			})
		}
		inStep.Wait()
		logging.ClearCurrent()
	}
	close(stop)
	free.Wait()

	inStep := map[int]int{}
	for _, m := range parse() {
		msg := str(m[logging.MessageKey])
		if msg == "free" {
			id, ok := m[logging.RequestIDKey].(string)
			if !ok {
				requireNoInvocation(t, m)
				continue
			}
			n, err := strconv.Atoi(id[strings.LastIndexByte(id, '-')+1:])
			require.NoError(t, err, m)
			requireInvocation(t, n, m)
			continue
		}
		var n int
		if v, ok := m["n"]; ok {
			n = int(v.(float64))
		} else {
			var err error
			n, err = strconv.Atoi(strings.TrimPrefix(msg, "in step "))
			require.NoError(t, err, m)
		}
		requireInvocation(t, n, m)
		inStep[n]++
	}
	for n := range invocations {
		require.Equal(t, 2*writers*perWriter, inStep[n], "invocation %d", n)
	}
}

// invCtx returns the context of invocation n and its span.
func invCtx(n int) context.Context {
	ctx, _ := invocationCtx(n)
	return ctx
}

// infoReader is a slog.Handler that reads the invocation in each record's
// context as it handles it, as an OpenTelemetry log processor does.
type infoReader struct {
	mu  sync.Mutex
	ids []string
}

func (r *infoReader) Enabled(context.Context, slog.Level) bool { return true }
func (r *infoReader) Handle(ctx context.Context, _ slog.Record) error {
	info, ok := invocation.FromContext(ctx)
	id := "<none>"
	if ok {
		id = info.Lambda.AwsRequestID
		for k, v := range info.Lambda.ClientContext.Custom {
			id += k + v
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ids = append(r.ids, id)
	return nil
}
func (r *infoReader) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *infoReader) WithGroup(string) slog.Handler      { return r }

// TestCurrentIsACopy rewrites the Info behind the current invocation while
// lines are logged, as a runtime reusing its structures for the next
// invocation does: the lines keep the values SetCurrent saw, and -race sees
// no shared memory.
func TestCurrentIsACopy(t *testing.T) {
	t.Cleanup(logging.ClearCurrent)
	info := newInfo(3, false)
	info.Lambda.ClientContext.Custom = map[string]string{"k": "v"}
	ctx, _ := withSpan(invocation.NewContext(context.Background(), info), 3)
	logging.SetCurrent(ctx)

	rec := &infoReader{}
	l, parse := capture(t, logging.FormatJSON)
	l = slog.New(slog.NewMultiHandler(l.Handler(), logging.Wrap(rec)))
	const lines = 200
	var wg sync.WaitGroup
	wg.Go(func() {
		for range lines {
			l.Info("line")
		}
	})
	for i := range lines {
		info.Lambda.AwsRequestID = requestID(9)
		info.Lambda.ClientContext.Custom["k"] = strconv.Itoa(i)
	}
	wg.Wait()

	ms := parse()
	require.Len(t, ms, lines)
	for _, m := range ms {
		requireInvocation(t, 3, m)
	}
	require.Len(t, rec.ids, lines)
	for _, id := range rec.ids {
		require.Equal(t, requestID(3), id, "the request id as set, without the client context's maps")
	}
}
