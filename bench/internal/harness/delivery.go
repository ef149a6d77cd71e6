package harness

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Delivery is what one process's telemetry delivered, against what it
// served: whether every invocation's telemetry arrived, and how much of it
// was still waiting in the process when the run ended and Lambda's SIGTERM
// came (the final flush sends it).
type Delivery struct {
	// Served are the invocations the process answered: warm-up, measured
	// and stats events. Logged are those that logged a line (all but the
	// stats events).
	Served, Logged int64
	// AtEnd is what had arrived when the function was back in GET /next
	// after the run (where Lambda freezes it); AtExit what had arrived when
	// the process exited after SIGTERM.
	AtEnd, AtExit Arrived
	// Exited is false when the process did not exit within the grace
	// period after SIGTERM.
	Exited bool
}

// Arrived counts the invocations whose telemetry arrived, per signal; -1
// where the variant does not export the signal.
type Arrived struct {
	// Spans are the invocations traced: lumen.handle spans over OTLP or
	// to X-Ray, or otellambda's one span per invocation.
	Spans int64
	// Logs are the OTLP log records.
	Logs int64
	// Metrics is the invocation count the metrics say: faas.invocations
	// in the last OTLP request, or the sum of faas_invocations_total over
	// the EMF documents on stdout.
	Metrics int64
}

// arrived reads what v's telemetry delivered, from the sink's counts of
// the process's life and its stdout (for EMF).
func arrived(v Variant, c SinkCounts, stdout string) Arrived {
	a := Arrived{Spans: -1, Logs: -1, Metrics: -1}
	x := v.Exports
	switch {
	case x.OTLPTraces && v.Lumen:
		a.Spans = c.HandleSpans
	case x.OTLPTraces:
		a.Spans = c.Spans
	case x.XRay:
		a.Spans = c.XRayHandles
	}
	if x.OTLPLogs {
		a.Logs = c.LogRecords
	}
	switch {
	case x.OTLPMetrics:
		a.Metrics = max(c.InvocationsTotal, 0)
	case x.EMF:
		a.Metrics = emfInvocations(stdout)
	}
	return a
}

// Complete reports whether every invocation's telemetry arrived by the
// time the process exited.
func (d Delivery) Complete() bool {
	a := d.AtExit
	return d.Exited && (a.Spans < 0 || a.Spans == d.Served) && (a.Logs < 0 || a.Logs == d.Logged) &&
		(a.Metrics < 0 || a.Metrics == d.Served)
}

// Missing describes what had not arrived by the exit, empty when the
// delivery is complete.
func (d Delivery) Missing() string {
	var out []string
	if !d.Exited {
		out = append(out, "no exit within the grace period")
	}
	a := d.AtExit
	for _, m := range []struct {
		name      string
		got, want int64
	}{{"spans", a.Spans, d.Served}, {"logs", a.Logs, d.Logged}, {"metrics", a.Metrics, d.Served}} {
		switch {
		case m.got < 0:
		case m.got < m.want:
			out = append(out, fmt.Sprintf("%s %d/%d", m.name, m.got, m.want))
		case m.got > m.want:
			out = append(out, fmt.Sprintf("%s %d/%d (duplicates)", m.name, m.got, m.want))
		}
	}
	return strings.Join(out, ", ")
}

// Waiting returns the invocations whose spans, logs or metrics (the most
// of the three) had not arrived when the function was back in GET /next.
func (d Delivery) Waiting() int64 {
	var w int64
	for _, p := range [][2]int64{{d.AtEnd.Spans, d.Served}, {d.AtEnd.Logs, d.Logged}, {d.AtEnd.Metrics, d.Served}} {
		if p[0] >= 0 {
			w = max(w, p[1]-p[0])
		}
	}
	return w
}

// emfPrefix starts every EMF document Lumen writes.
var emfPrefix = []byte(`{"_aws":`)

// emfInvocations sums faas_invocations_total over the EMF documents of a
// function's output file.
func emfInvocations(path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var total int64
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, emfPrefix) {
			continue
		}
		var doc struct {
			Invocations float64 `json:"faas_invocations_total"`
		}
		if json.Unmarshal(line, &doc) == nil {
			total += int64(doc.Invocations)
		}
	}
	return total
}
