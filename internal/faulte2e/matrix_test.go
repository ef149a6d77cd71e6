package faulte2e_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/faultproxy"
)

// How many invocations each phase of a cell sends. The faulty phase's
// median leaves out its first invocations: the flush after the first one
// waits for the failing backend until the budget ends, by design.
const (
	warmInvocations    = 5
	phaseInvocations   = 30
	skippedInvocations = 5
)

// The faults of the matrix: every way a telemetry backend fails.
var (
	faultRefused    = faultproxy.Refused
	faultBlackholed = faultproxy.Blackholed
	faultSlow       = faultproxy.Slow(5 * time.Second)
	faultUnavail    = faultproxy.Answer(503, "collector overloaded")
	faultInternal   = faultproxy.Answer(500, "internal error")
	faultThrottled  = faultproxy.Answer(429, "slow down", "Retry-After", "1")
	faultGarbage    = faultproxy.Garbage
	faultNotOTLP    = faultproxy.Answer(200, "<html><body>captive portal</body></html>", "Content-Type", "text/html")
)

// breaker is what breaks and heals a path: a proxy, a stand-in daemon, a
// FIFO.
type breaker interface{ Set(faultproxy.Fault) }

// cell is one fault in front of one exporter, under one function.
type cell struct {
	exporter string
	fault    faultproxy.Fault
	label    string // the fault's name in the table, when not fault's own
	f        *function
	path     breaker
	// flowing reports whether every signal the function sends through
	// path carries data of an invocation at or after from.
	flowing func(from int) bool
	// retried reports, from the function's own metrics, whether every
	// flusher behind path failed again in a background retry: the faulty
	// phase lasts until then, so that it covers the backoff.
	retried func(m map[string]float64) bool

	// faulty is how many invocations the faulty phase sent; recovering
	// how many were sent after the heal until every signal flowed again.
	faulty, recovering int
}

// measurement is what a cell measured, for the closing table.
type measurement struct {
	exporter, fault     string
	healthy, faulty     time.Duration
	recovery            time.Duration
	recoveryInvocations int
}

func (m measurement) String() string {
	return fmt.Sprintf("| %s | %s | %.2f ms | %.2f ms | %.1f× | %.0f ms (%d invocations) |",
		m.exporter, m.fault, ms(m.healthy), ms(m.faulty), float64(m.faulty)/float64(m.healthy), ms(m.recovery), m.recoveryInvocations)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

var (
	measuredMu sync.Mutex
	measured   []measurement
)

// run measures the cell: warm-up until data flows, a healthy phase, the
// fault, then the heal, invoking until every signal carries data of an
// invocation sent after it. Every answer must be right throughout.
func (c *cell) run(t *testing.T) measurement {
	t.Helper()
	c.f.run(warmInvocations)
	require.True(t, poll(t.Context(), func() bool { return c.flowing(0) }), "%s: no data arrived while healthy:\n%s", c.exporter, c.f.em.Output())
	healthy := c.f.run(phaseInvocations)
	// Everything sent so far arrives before the fault begins (a deferring
	// flush strategy sends it within its period): what the fault costs is
	// only what the function produces while it lasts.
	require.True(t, poll(t.Context(), func() bool { return c.flowing(c.f.next - 1) }), "%s: the healthy phase's data did not arrive", c.exporter)

	c.path.Set(c.fault)
	faulty := c.f.run(phaseInvocations)
	if c.retried != nil {
		for !c.retried(c.f.waitMetrics("the flush counts", func(map[string]float64) bool { return true })) {
			faulty = append(faulty, c.f.run(10)...)
			require.Less(t, len(faulty), 100_000, "no background retry failed under %s", c.fault)
		}
	}
	c.faulty = len(faulty)

	c.path.Set(faultproxy.Healthy)
	healed, from := time.Now(), c.f.next
	defer func() { c.recovering = c.f.next - from }()
	var recovery time.Duration
	for n := 1; ; n++ {
		_, err := c.f.invoke(t.Context())
		require.NoError(t, err)
		if c.flowing(from) {
			recovery = time.Since(healed)
			label := c.label
			if label == "" {
				label = c.fault.String()
			}
			m := measurement{exporter: c.exporter, fault: label, healthy: median(healthy[skippedInvocations:]),
				faulty: median(faulty[skippedInvocations:]), recovery: recovery, recoveryInvocations: n}
			t.Logf("healthy median %v, faulty median %v over %d invocations (first %d left out: %v), recovered %v after the heal, %d invocations",
				m.healthy, m.faulty, len(faulty), skippedInvocations, faulty[:skippedInvocations], m.recovery, n)
			t.Log(m)
			measuredMu.Lock()
			measured = append(measured, m)
			measuredMu.Unlock()
			return m
		}
		require.Less(t, time.Since(healed), wait, "%s: data stopped after %s and did not flow again after the heal:\n%s",
			c.exporter, c.fault, c.f.em.Output())
	}
}

// reportRE matches the one line the runtime logs when it starts backing
// off a flusher.
var reportRE = regexp.MustCompile(`error="flush (\S+) (failed|overran its budget|skipped)`)

// reports counts the runtime's reported flush failures per flusher name.
// (The OTLP exporters of metrics and logs are both named "otlp".)
func reports(output string) map[string]int {
	out := map[string]int{}
	for _, m := range reportRE.FindAllStringSubmatch(output, -1) {
		out[m[1]]++
	}
	return out
}

// printMeasurements writes the table of every cell measured, for the
// closing note (shown with go test -v).
func printMeasurements() {
	measuredMu.Lock()
	defer measuredMu.Unlock()
	if len(exits) > 0 {
		fmt.Println("| SIGTERM | exit after the signal |")
		fmt.Println("|---|---|")
		fmt.Println(strings.Join(exits, "\n"))
	}
	if len(measured) == 0 {
		return
	}
	lines := make([]string, 0, len(measured))
	for _, m := range measured {
		lines = append(lines, m.String())
	}
	slices.Sort(lines)
	fmt.Println("| exporter | fault | healthy median | faulty median | ratio | recovery after the heal |")
	fmt.Println("|---|---|---|---|---|---|")
	fmt.Println(strings.Join(lines, "\n"))
}

// failedFlushes returns the failed and overrun flushes of flusher counted
// so far: the one the loop waited for and those of the background retries.
func failedFlushes(m map[string]float64, flusher string) float64 {
	l := `flusher="` + flusher + `"`
	return sum(m, "faas_telemetry_flush_failures_total", l) + sum(m, "faas_telemetry_flush_overruns_total", l)
}

// requireBackedOff checks that each flusher failed more often than the
// runtime reported it: the failures after the reported one were background
// retries, counted in the function's metrics, which the loop did not wait
// for (the flush point reports only the failures it waited for).
func requireBackedOff(t *testing.T, m map[string]float64, output string, flushers ...string) {
	t.Helper()
	reported := reports(output)
	for _, f := range flushers {
		require.Greater(t, failedFlushes(m, f), float64(reported[f]),
			"%s: background retries failed, counted and not reported (reported %d times)", f, reported[f])
	}
}
