package runtime_test

import (
	"bytes"
	"encoding/json"
	"log"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/logging"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Split(strings.TrimSpace(l.b.String()), "\n")
}

// At concurrency 1, lines the handler writes through the standard library's
// log package, with no context, carry the invocation's request and trace
// ids, as aws-lambda-go users' existing log.Printf calls expect.
func TestLogPackageLinesCarryTheInvocation(t *testing.T) {
	before, flags := slog.Default(), log.Flags()
	defer func() {
		slog.SetDefault(before)
		log.SetFlags(flags)
	}()
	var out lockedBuffer
	slog.SetDefault(slog.New(logging.NewHandler(&out, logging.WithFormat(logging.FormatJSON))))
	h := start(t, func() { log.Printf("charged %d", 42) }, nil)
	res := h.invoke(t, `{}`, runtimetest.WithTraceID("Root="+testRoot+";Parent="+testParent+";Sampled=1"))
	require.Empty(t, res.ErrorType)
	require.NoError(t, h.stop(t))
	log.Printf("after the invocation")

	lines := out.lines()
	require.Len(t, lines, 2)
	var during, after map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &during))
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &after))
	require.Equal(t, "charged 42", during["message"])
	require.Equal(t, "INFO", during["level"])
	require.Equal(t, res.RequestID, during["requestId"])
	require.Equal(t, testRoot, during["xray_trace_id"])
	require.NotContains(t, after, "requestId", "once the invocation is posted, lines carry none")
}
