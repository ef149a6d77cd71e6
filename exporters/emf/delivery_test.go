package emf_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/emf"
	"github.com/lumen-rt/lumen/metrics"
)

// flakyWriter fails while fail is set, and writes to buf otherwise.
type flakyWriter struct {
	mu   sync.Mutex
	fail bool
	buf  bytes.Buffer
}

var errDiskFull = errors.New("disk full")

func (w *flakyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fail {
		return 0, errDiskFull
	}
	return w.buf.Write(p)
}

// blockingWriter blocks every write until release is closed, and says when
// a write has started.
type blockingWriter struct {
	started chan struct{}
	release chan struct{}
	once    sync.Once
}

func (w *blockingWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.started) })
	<-w.release
	return len(p), nil
}

func TestWriteFailureLosesNothing(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "faas_invocations_total", Help: "h"})
	reg.MustRegister(c)
	w := &flakyWriter{fail: true}
	e, err := emf.New(gathered(reg), emf.WithWriter(w), emf.WithClock(clock))
	require.NoError(t, err)

	c.Add(3)
	err = e.ForceFlush(t.Context())
	require.ErrorIs(t, err, errDiskFull)

	c.Add(2)
	w.fail = false
	docs, err := flushDocs(t, e, &w.buf)
	require.NoError(t, err)
	require.Equal(t, map[string]float64{"faas_invocations_total{}": 5}, values(docs), "the failed increase is written again")

	docs, err = flushDocs(t, e, &w.buf)
	require.NoError(t, err)
	require.Empty(t, docs, "and only once")
	require.NoError(t, e.Shutdown(t.Context()))
}

func TestGatherErrorKeepsWhatWasGathered(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "ok_total", Help: "h"})
	reg.MustRegister(c)
	c.Inc()
	failing := prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) { return nil, errors.New("collector broke") })
	var gatherErrs []error
	src := metrics.NewGatherVisitor(prometheus.Gatherers{reg, failing}, time.Hour, func(err error) { gatherErrs = append(gatherErrs, err) })
	var out bytes.Buffer
	e, err := emf.New(src, emf.WithWriter(&out), emf.WithClock(clock))
	require.NoError(t, err)
	docs, err := flushDocs(t, e, &out)
	require.NoError(t, err, "a gather error is the visitor's to report")
	require.Equal(t, map[string]float64{"ok_total{}": 1}, values(docs))
	require.Len(t, gatherErrs, 1)
	require.ErrorContains(t, gatherErrs[0], "collector broke")

	c.Inc()
	require.NoError(t, e.Shutdown(t.Context()))
	require.Len(t, gatherErrs, 2, "the final flush gathers again, whatever the max age")
	doc, err := validateEMF(bytes.TrimSpace(out.Bytes()))
	require.NoError(t, err)
	require.InDelta(t, 1, doc.Values["ok_total"], 0, "and writes what the application recorded last")
}

func TestFlushHonoursContext(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "faas_invocations_total", Help: "h"})
	reg.MustRegister(c)
	c.Inc()

	t.Run("ended before the flush", func(t *testing.T) {
		var out bytes.Buffer
		e, err := emf.New(gathered(reg), emf.WithWriter(&out), emf.WithClock(clock))
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		require.ErrorIs(t, e.ForceFlush(ctx), context.Canceled)
		require.Zero(t, out.Len())
		require.NoError(t, e.Shutdown(t.Context()))
	})

	t.Run("writer blocked", func(t *testing.T) {
		w := &blockingWriter{started: make(chan struct{}), release: make(chan struct{})}
		e, err := emf.New(gathered(reg), emf.WithWriter(w), emf.WithClock(clock))
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(t.Context())
		flushed := make(chan error, 1)
		go func() { flushed <- e.ForceFlush(ctx) }()
		<-w.started
		cancel()
		require.ErrorIs(t, <-flushed, context.Canceled, "the caller is not held by the writer")

		// A second flush cannot start while the first still writes.
		ctx2, cancel2 := context.WithCancel(t.Context())
		cancel2()
		require.ErrorIs(t, e.ForceFlush(ctx2), context.Canceled)

		// Shutdown bounded by its context while the write is stuck.
		ctx3, cancel3 := context.WithCancel(t.Context())
		cancel3()
		require.ErrorIs(t, e.Shutdown(ctx3), context.Canceled)

		close(w.release)
		require.NoError(t, e.Shutdown(t.Context()), "idempotent")
	})

	t.Run("final flush that cannot write counts its values dropped", func(t *testing.T) {
		w := &blockingWriter{started: make(chan struct{}), release: make(chan struct{})}
		drops := &dropRecorder{n: map[string]int{}}
		e, err := emf.New(gathered(reg), emf.WithWriter(w), emf.WithClock(clock), emf.WithDropCounter(drops))
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(t.Context())
		stopped := make(chan error, 1)
		go func() { stopped <- e.Shutdown(ctx) }()
		<-w.started
		cancel()
		require.ErrorIs(t, <-stopped, context.Canceled)
		require.Equal(t, map[string]int{"emf/metrics": 1}, drops.n, "the one counter value that was not written")
		close(w.release)
	})
}

func TestShutdown(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "faas_invocations_total", Help: "h"})
	reg.MustRegister(c)
	var out bytes.Buffer
	e, err := emf.New(gathered(reg), emf.WithWriter(&out), emf.WithClock(clock))
	require.NoError(t, err)
	c.Inc()
	require.NoError(t, e.Shutdown(t.Context()))
	doc, err := validateEMF(bytes.TrimSpace(out.Bytes()))
	require.NoError(t, err, "shutdown writes a final flush")
	require.InDelta(t, 1, doc.Values["faas_invocations_total"], 0)

	out.Reset()
	c.Inc()
	require.NoError(t, e.Shutdown(t.Context()))
	require.ErrorIs(t, e.ForceFlush(t.Context()), emf.ErrShutdown)
	require.Zero(t, out.Len())
	require.Equal(t, "emf", e.Name())
}

func TestNewOptions(t *testing.T) {
	src := gathered(prometheus.NewRegistry())
	tests := []struct {
		name string
		src  exporters.SeriesSource
		opts []emf.Option
	}{
		{"nil visitor", nil, nil},
		{"nil writer", src, []emf.Option{emf.WithWriter(nil)}},
		{"empty namespace", src, []emf.Option{emf.WithNamespace("")}},
		{"AWS namespace", src, []emf.Option{emf.WithNamespace("AWS/Lambda")}},
		{"non-ASCII namespace", src, []emf.Option{emf.WithNamespace("Lümen")}},
		{"empty dimension value", src, []emf.Option{emf.WithDimensions(map[string]string{"service": ""})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := emf.New(tt.src, tt.opts...)
			require.ErrorIs(t, err, emf.ErrInvalidOption)
			require.Nil(t, e)
		})
	}
}

func TestNamespaceAndDimensions(t *testing.T) {
	tests := []struct {
		name     string
		opts     []emf.Option
		wantNS   string
		wantDims map[string]string
	}{
		{name: "defaults, whatever Powertools' variables say", wantNS: emf.DefaultNamespace, wantDims: map[string]string{}},
		{
			name:   "options",
			opts:   []emf.Option{emf.WithNamespace("Mine"), emf.WithDimensions(map[string]string{"team": "a"})},
			wantNS: "Mine", wantDims: map[string]string{"team": "a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(emf.EnvNamespace, "Shop") // New must not read them
			t.Setenv(emf.EnvService, "orders")
			reg := prometheus.NewRegistry()
			g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "g", Help: "h"})
			reg.MustRegister(g)
			var out bytes.Buffer
			e, err := emf.New(gathered(reg), append([]emf.Option{emf.WithWriter(&out), emf.WithClock(clock)}, tt.opts...)...)
			require.NoError(t, err)
			docs, err := flushDocs(t, e, &out)
			require.NoError(t, err)
			require.Len(t, docs, 1)
			require.Equal(t, tt.wantNS, docs[0].Namespace)
			require.Equal(t, tt.wantDims, docs[0].DimValues)
			require.NoError(t, e.Shutdown(t.Context()))
		})
	}
}

var _ io.Writer = (*flakyWriter)(nil)
