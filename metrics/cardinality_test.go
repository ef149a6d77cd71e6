package metrics_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/metrics"
)

func TestErrorTypeCardinality(t *testing.T) {
	tests := []struct {
		name      string
		opts      []metrics.Option
		types     []string // recorded in order, once each, trigger http
		wantOwn   []string // error_type values that must exist
		wantOther int      // count under error_type="other"
		maxSeries int
	}{
		{
			name:      "known types never count toward the limit",
			opts:      []metrics.Option{metrics.WithMaxErrorTypes(0)},
			types:     metrics.KnownErrorTypes(),
			wantOwn:   metrics.KnownErrorTypes(),
			maxSeries: len(metrics.KnownErrorTypes()),
		},
		{
			name:      "first n unknown types admitted, later ones are other",
			opts:      []metrics.Option{metrics.WithMaxErrorTypes(3)},
			types:     []string{"A", "B", "A", "C", "D", "E", "B"},
			wantOwn:   []string{"A", "B", "C"},
			wantOther: 2,
			maxSeries: 4,
		},
		{
			name:      "allow-list additions",
			opts:      []metrics.Option{metrics.WithMaxErrorTypes(0), metrics.WithErrorTypes("OrderError")},
			types:     []string{"OrderError", "Else"},
			wantOwn:   []string{"OrderError"},
			wantOther: 1,
			maxSeries: 2,
		},
		{
			name:      "invalid label values are other",
			types:     []string{strings.Repeat("x", metrics.MaxErrorTypeLength+1), "bad\xff"},
			wantOther: 2,
			maxSeries: 1,
		},
		{
			name:      "thousands of distinct types stay bounded",
			types:     distinct(5000),
			wantOwn:   distinct(metrics.DefaultMaxErrorTypes),
			wantOther: 5000 - metrics.DefaultMaxErrorTypes,
			maxSeries: metrics.DefaultMaxErrorTypes + 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRecorder(t, tt.opts...)
			for _, et := range tt.types {
				r.InvocationStarted()
				r.RecordInvocation(metrics.InvocationResult{Trigger: metrics.TriggerHTTP, ErrorType: et})
			}
			got := series(t, r.Gatherer())
			errSeries := seriesOf(got, "faas_errors_total")
			require.LessOrEqual(t, len(errSeries), tt.maxSeries)
			for _, et := range tt.wantOwn {
				require.Contains(t, got, fmt.Sprintf(`faas_errors_total{error_type=%q,faas_trigger="http"}`, et))
			}
			require.InDelta(t, float64(tt.wantOther), got[`faas_errors_total{error_type="other",faas_trigger="http"}`], 0)
			var total float64
			for _, k := range errSeries {
				total += got[k]
			}
			require.InDelta(t, float64(len(tt.types)), total, 0, "no error is lost")
		})
	}
}

func distinct(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("Err%04d", i)
	}
	return out
}

func TestHealth(t *testing.T) {
	tests := []struct {
		name   string
		record func(r *metrics.Recorder)
		want   map[string]float64
	}{
		{
			name: "drops by exporter and signal",
			record: func(r *metrics.Recorder) {
				r.Dropped("otlp", exporters.SignalTraces, 10)
				r.Dropped("otlp", exporters.SignalTraces, 5)
				r.Dropped("otlp", exporters.SignalLogs, 1)
				r.Dropped("otlp", exporters.SignalLogs, 0)
				r.Dropped("otlp", exporters.SignalLogs, -3)
				r.Dropped("emf", "profiles", 2)
			},
			want: map[string]float64{
				`faas_telemetry_dropped_items_total{exporter="otlp",signal="traces"}`: 15,
				`faas_telemetry_dropped_items_total{exporter="otlp",signal="logs"}`:   1,
				`faas_telemetry_dropped_items_total{exporter="emf",signal="other"}`:   2,
			},
		},
		{
			name: "through the exporters.DropCounter interface",
			record: func(r *metrics.Recorder) {
				var dc exporters.DropCounter = r
				dc.Dropped("pushgateway", exporters.SignalMetrics, 7)
			},
			want: map[string]float64{`faas_telemetry_dropped_items_total{exporter="pushgateway",signal="metrics"}`: 7},
		},
		{
			name: "export errors and flush outcomes",
			record: func(r *metrics.Recorder) {
				r.ExportFailed("otlp", exporters.SignalMetrics)
				r.ExportFailed("otlp", exporters.SignalMetrics)
				r.FlushOverrun("otlp")
				r.FlushFailed("emf")
				r.FlushFailed("emf")
				r.FlushSkipped("otlp")
			},
			want: map[string]float64{
				`faas_telemetry_export_errors_total{exporter="otlp",signal="metrics"}`: 2,
				`faas_telemetry_flush_overruns_total{flusher="otlp"}`:                  1,
				`faas_telemetry_flush_failures_total{flusher="emf"}`:                   2,
				`faas_telemetry_flush_skipped_total{flusher="otlp"}`:                   1,
			},
		},
		{
			name: "component names are bounded",
			record: func(r *metrics.Recorder) {
				for i := range metrics.MaxComponentNames + 10 {
					r.FlushFailed(fmt.Sprintf("flusher-%d", i))
				}
				r.FlushFailed("")
				r.FlushFailed(strings.Repeat("n", metrics.MaxComponentNameLength+1))
			},
			want: map[string]float64{
				`faas_telemetry_flush_failures_total{flusher="flusher-0"}`: 1,
				`faas_telemetry_flush_failures_total{flusher="other"}`:     10 + 2,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRecorder(t)
			tt.record(r)
			got := series(t, r.Gatherer())
			for k, v := range tt.want {
				require.Contains(t, got, k)
				require.InDelta(t, v, got[k], 0, k)
			}
			require.LessOrEqual(t, len(seriesOf(got, "faas_telemetry_flush_failures_total")), metrics.MaxComponentNames+1)
		})
	}
}
