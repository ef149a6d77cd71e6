package faulte2e_test

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lumen-rt/lumen/internal/testenv"
)

// metrics scrapes the function's own endpoint (testenv.Samples).
func (f *function) metrics(ctx context.Context) (map[string]float64, error) {
	return testenv.Samples(ctx, f.metricsURL)
}

// waitMetrics scrapes the function until ok holds, and returns the samples;
// on failure, state says what was seen besides the samples.
func (f *function) waitMetrics(what string, ok func(m map[string]float64) bool, state ...func() string) map[string]float64 {
	f.t.Helper()
	var last map[string]float64
	var lastErr error
	if !poll(f.t.Context(), func() bool {
		m, err := f.metrics(f.t.Context())
		if err != nil {
			lastErr = err
			return false
		}
		last = m
		return ok(m)
	}) {
		var seen []string
		for _, s := range state {
			seen = append(seen, s())
		}
		f.t.Fatalf("waiting for %s: %s; last scrape error %v; last samples:\n%s", what, strings.Join(seen, "; "), lastErr, dump(last, "faas_telemetry"))
	}
	return last
}

// sum adds the samples of name whose labels contain every one of labels
// (`key="value"` strings).
func sum(m map[string]float64, name string, labels ...string) float64 {
	var s float64
	for k, v := range m {
		rest, ok := strings.CutPrefix(k, name+"{")
		if !ok {
			continue
		}
		match := true
		for _, l := range labels {
			if !strings.Contains(rest, l) {
				match = false
			}
		}
		if match {
			s += v
		}
	}
	return s
}

// dump lists the samples whose name starts with prefix, for failure
// messages.
func dump(m map[string]float64, prefix string) string {
	var lines []string
	for k, v := range m {
		if strings.HasPrefix(k, prefix) {
			lines = append(lines, fmt.Sprintf("  %s %g", k, v))
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
