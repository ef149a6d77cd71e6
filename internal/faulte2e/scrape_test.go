package faulte2e_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// metrics scrapes the function's own endpoint: samples keyed
// `name{label="value",…}` with the labels sorted and the constant ones
// (faas_name, service_name) left out.
func (f *function) metrics(ctx context.Context) (map[string]float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.metricsURL, nil)
	if err != nil {
		return nil, err
	}
	req.Close = true // no idle connection outlives the test
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("scrape %s: %s", f.metricsURL, resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for name, mf := range fams {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				if !strings.HasPrefix(l.GetName(), "faas_name") && l.GetName() != "service_name" {
					labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
				}
			}
			sort.Strings(labels)
			var v float64
			switch {
			case m.GetCounter() != nil:
				v = m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				v = m.GetGauge().GetValue()
			case m.GetUntyped() != nil:
				v = m.GetUntyped().GetValue()
			case m.GetHistogram() != nil:
				v = float64(m.GetHistogram().GetSampleCount())
			default:
				continue
			}
			out[name+"{"+strings.Join(labels, ",")+"}"] = v
		}
	}
	return out, nil
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
