package platform_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/platform"
)

// FuzzParseBatch: whatever Lambda (or anything else) sends, ParseBatch
// neither panics nor keeps a value that breaks the schema's bounds, and
// reports every event it could not read.
func FuzzParseBatch(f *testing.F) {
	for _, dir := range []string{"testdata/docs", "testdata/docs/malformed", "testdata/emulator"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		require.NoError(f, err)
		for _, file := range files {
			data, err := os.ReadFile(file)
			require.NoError(f, err)
			f.Add(data, true)
		}
	}
	f.Add([]byte(`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1e300}}}]`), false)
	f.Fuzz(func(t *testing.T, data []byte, logs bool) {
		b, err := platform.ParseBatch(data, logs)
		if err == nil {
			require.Zero(t, b.Malformed)
			require.Zero(t, b.Incomplete)
		} else {
			require.ErrorIs(t, err, platform.ErrMalformed)
			require.Positive(t, b.Malformed+b.Incomplete)
		}
		var ee *platform.EventError
		if b.Malformed == 1 && b.Len() == 0 && b.Incomplete == 0 && !errors.As(err, &ee) {
			return // not a batch
		}
		for _, r := range b.Reports {
			require.NotEmpty(t, r.RequestID)
			require.GreaterOrEqual(t, r.Duration, 0*r.Duration)
			require.GreaterOrEqual(t, r.BilledDuration, 0*r.Duration)
			require.GreaterOrEqual(t, r.MemorySize, int64(0))
			require.GreaterOrEqual(t, r.MaxMemoryUsed, int64(0))
			checkSpans(t, r.Spans)
		}
		for _, r := range b.RuntimeDones {
			require.NotEmpty(t, r.RequestID)
			require.NotEmpty(t, r.Status)
			require.GreaterOrEqual(t, r.ProducedBytes, int64(-1))
			checkSpans(t, r.Spans)
		}
		for _, r := range b.InitReports {
			require.GreaterOrEqual(t, r.Duration, 0*r.Duration)
			checkSpans(t, r.Spans)
		}
		for _, r := range b.RestoreReports {
			require.NotEmpty(t, r.Status)
			checkSpans(t, r.Spans)
		}
		if !logs {
			require.Empty(t, b.Logs)
		}
	})
}

func checkSpans(t *testing.T, spans []platform.Span) {
	for _, s := range spans {
		require.NotEmpty(t, s.Name)
		require.GreaterOrEqual(t, s.Duration, 0*s.Duration)
	}
}
