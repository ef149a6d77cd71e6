package otlplog_test

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	"google.golang.org/protobuf/proto"

	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlplog"
)

func TestFailedExportsAreCounted(t *testing.T) {
	tests := []struct {
		name        string
		respond     func(w http.ResponseWriter, req *collogspb.ExportLogsServiceRequest)
		wantDropped int
	}{
		{
			name: "rejected request",
			respond: func(w http.ResponseWriter, _ *collogspb.ExportLogsServiceRequest) {
				http.Error(w, "bad request", http.StatusBadRequest)
			},
			wantDropped: 5,
		},
		{
			name: "partial success",
			respond: func(w http.ResponseWriter, _ *collogspb.ExportLogsServiceRequest) {
				b, _ := proto.Marshal(&collogspb.ExportLogsServiceResponse{
					PartialSuccess: &collogspb.ExportLogsPartialSuccess{RejectedLogRecords: 2, ErrorMessage: "too old"},
				})
				w.Header().Set("Content-Type", "application/x-protobuf")
				_, _ = w.Write(b)
			},
			wantDropped: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReceiver(t)
			r.setRespond(tt.respond)
			setEnv(t, r.srv.URL)
			var d exportertest.Drops
			exp, err := otlplog.New(t.Context(), otlplog.WithDropCounter(&d))
			require.NoError(t, err)
			defer func() { require.NoError(t, exp.Shutdown(context.Background())) }()
			l := slog.New(exp.Handler())
			for range 5 {
				l.Info("lost?")
			}
			require.Error(t, exp.ForceFlush(t.Context()))
			require.Equal(t, tt.wantDropped, droppedLogs(&d))
		})
	}
}

// TestSlowBackendBoundedByContext checks that ForceFlush returns when its
// context ends although the backend never answers, and that the records of
// the abandoned export are counted.
func TestSlowBackendBoundedByContext(t *testing.T) {
	r := newReceiver(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) }) // runs before the server closes
	r.setRespond(func(w http.ResponseWriter, _ *collogspb.ExportLogsServiceRequest) {
		<-release
	})
	setEnv(t, r.srv.URL)
	var d exportertest.Drops
	exp, err := otlplog.New(t.Context(), otlplog.WithDropCounter(&d))
	require.NoError(t, err)
	l := slog.New(exp.Handler())
	for range 3 {
		l.Info("stuck")
	}

	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	err = exp.ForceFlush(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	// Shutdown waits for the worker, whose export was cancelled with the
	// flush's context: by then the loss is counted.
	require.NoError(t, exp.Shutdown(t.Context()))
	require.Equal(t, 3, droppedLogs(&d))
}

// TestQueueFullIsCounted fills a small queue while the backend holds the
// first export: what the queue refuses is counted, and every record is
// either delivered or counted.
func TestQueueFullIsCounted(t *testing.T) {
	const total, queue = 100, 4
	r := newReceiver(t)
	release := make(chan struct{})
	held := make(chan struct{}, 1)
	r.setRespond(func(w http.ResponseWriter, req *collogspb.ExportLogsServiceRequest) {
		select {
		case held <- struct{}{}:
		default:
		}
		<-release
		r.accept(req)
		w.Header().Set("Content-Type", "application/x-protobuf")
	})
	setEnv(t, r.srv.URL)
	var d exportertest.Drops
	exp, err := otlplog.New(t.Context(), otlplog.WithDropCounter(&d), otlplog.WithMaxQueueSize(queue))
	require.NoError(t, err)
	defer func() { require.NoError(t, exp.Shutdown(context.Background())) }()
	l := slog.New(exp.Handler())

	for range queue {
		l.Info("fills the queue and starts an export")
	}
	select {
	case <-held: // the exporter's only worker is now busy
	case <-t.Context().Done():
		t.Fatal("no export started")
	}
	for range total - queue {
		l.Info("more")
	}
	close(release)
	require.NoError(t, exp.ForceFlush(t.Context()))

	delivered := len(r.records())
	require.Equal(t, total, delivered+droppedLogs(&d), "delivered %d, counted %d", delivered, droppedLogs(&d))
	require.GreaterOrEqual(t, droppedLogs(&d), total-2*queue, "at most one export in flight and one queue full")
}
