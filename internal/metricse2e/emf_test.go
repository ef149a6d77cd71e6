package metricse2e_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// emfDocument is the part of a CloudWatch Embedded Metric Format document
// the test reads; the metric values and dimension values are top-level
// members of the same object.
type emfDocument struct {
	AWS struct {
		Timestamp         int64 `json:"Timestamp"`
		CloudWatchMetrics []struct {
			Namespace  string     `json:"Namespace"`
			Dimensions [][]string `json:"Dimensions"`
			Metrics    []struct {
				Name string `json:"Name"`
				Unit string `json:"Unit"`
			} `json:"Metrics"`
		} `json:"CloudWatchMetrics"`
	} `json:"_aws"`
}

// emfSums adds up, per metric and dimension values, the values of every EMF
// document in out, the output of an emulator and its runtime. Keys are
// "metric" or "metric{dim=value,…}" without faas_name, which every
// document must carry with the function's name. A distribution (a
// histogram's observations since the previous flush) adds its Count and Sum
// to "metric_count" and "metric_sum"; a label folded into the metric name
// (faas_phase_duration_seconds.handle) is read back as the phase dimension.
func emfSums(t *testing.T, out string) (map[string]float64, int) {
	t.Helper()
	sums := map[string]float64{}
	docs := 0
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if !strings.HasPrefix(string(line), `{"_aws"`) {
			continue
		}
		docs++
		var doc emfDocument
		require.NoError(t, json.Unmarshal(line, &doc), "%s", line)
		var members map[string]any
		require.NoError(t, json.Unmarshal(line, &members), "%s", line)
		require.Positive(t, doc.AWS.Timestamp, "%s", line)
		require.NotEmpty(t, doc.AWS.CloudWatchMetrics, "%s", line)
		require.Equal(t, functionName, members["faas_name"], "%s", line)
		for _, cwm := range doc.AWS.CloudWatchMetrics {
			require.Len(t, cwm.Dimensions, 1, "%s", line)
			var dims []string
			for _, d := range cwm.Dimensions[0] {
				if d == "faas_name" {
					continue
				}
				v, ok := members[d].(string)
				require.True(t, ok, "dimension %s has no string value: %s", d, line)
				dims = append(dims, d+"="+v)
			}
			for _, m := range cwm.Metrics {
				name, folded, isFolded := strings.Cut(m.Name, ".")
				keyDims := slices.Clone(dims)
				if isFolded {
					keyDims = append(keyDims, "phase="+folded)
				}
				slices.Sort(keyDims)
				key := func(n string) string {
					if len(keyDims) > 0 {
						return n + "{" + strings.Join(keyDims, ",") + "}"
					}
					return n
				}
				switch v := members[m.Name].(type) {
				case float64:
					sums[key(name)] += v
				case map[string]any:
					count, ok1 := v["Count"].(float64)
					sum, ok2 := v["Sum"].(float64)
					require.True(t, ok1 && ok2, "distribution %s without Count and Sum: %s", m.Name, line)
					sums[key(name+"_count")] += count
					sums[key(name+"_sum")] += sum
				default:
					t.Fatalf("metric %s has no number or distribution: %s", m.Name, line)
				}
			}
		}
	}
	require.NoError(t, sc.Err())
	return sums, docs
}

// TestEMFDeltas: with LUMEN_METRICS_EXPORTER=emf, two environments running
// the mixes at once write EMF documents to their output whose counter
// deltas add up to exactly the counts the mixes imply. The environments are
// stopped first (SIGTERM: a final flush), so every document is written.
func TestEMFDeltas(t *testing.T) {
	envs := []*environment{
		startEnvironment(t, instanceID('c'), "LUMEN_METRICS_EXPORTER=emf"),
		startEnvironment(t, instanceID('d'), "LUMEN_METRICS_EXPORTER=emf"),
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	require.NoError(t, runAll(ctx, envs, twoMixes))

	for i, e := range envs {
		t.Run(e.instance, func(t *testing.T) {
			e.em.Stop()
			got, docs := emfSums(t, e.em.Output())
			require.Positive(t, docs)

			m := twoMixes[i]
			n := float64(m.invocations())
			want := map[string]float64{
				"faas_coldstarts_total{faas_trigger=other}":            1,
				"faas_init_duration_seconds_count{faas_trigger=other}": 1,
				"faas_telemetry_flush_duration_seconds_count":          n,
			}
			for trigger, c := range m.byTrigger() {
				want[fmt.Sprintf("faas_invocations_total{faas_trigger=%s}", trigger)] = c
				want[fmt.Sprintf("faas_invoke_duration_seconds_count{faas_trigger=%s}", trigger)] = c
				want[fmt.Sprintf("faas_request_size_bytes_count{faas_trigger=%s}", trigger)] = c
			}
			for errorType, c := range m.errorsByType() {
				want[fmt.Sprintf("faas_errors_total{error_type=%s,faas_trigger=other}", errorType)] = c
			}
			for _, ph := range []string{"poll_wait", "event_receive", "handle", "post"} {
				want["faas_phase_duration_seconds_count{phase="+ph+"}"] = n
			}
			for key, w := range want {
				require.Equal(t, w, got[key], "%s; sums: %v", key, slices.Sorted(maps.Keys(got)))
			}
			// Nothing is counted that the mix did not cause.
			for key, v := range got {
				name, _, _ := strings.Cut(key, "{")
				switch name {
				case "faas_invocations_total", "faas_errors_total", "faas_coldstarts_total":
					require.Equal(t, want[key], v, key)
				case "faas_timeouts_total", "faas_proactive_initializations_total",
					"faas_telemetry_dropped_items_total", "faas_telemetry_flush_failures_total",
					"faas_telemetry_flush_overruns_total", "faas_telemetry_flush_skipped_total":
					require.Zero(t, v, key)
				}
			}
		})
	}
}
