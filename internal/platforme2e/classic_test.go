package platforme2e_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/rie"
)

// telemetryLine matches every line of the output that mentions the
// Telemetry API or platform telemetry.
var telemetryLine = regexp.MustCompile(`(?mi)^.*(telemetry api|platform telemetry|Telemetry\.NotSupported).*$`)

// TestClassicCarriesOn: with LUMEN_PLATFORM_TELEMETRY=true under the
// emulator's classic mode, whose Telemetry API is a stub answering
// Telemetry.NotSupported, the function says so in one line, once, and
// carries on: every invocation is served and traced, its metrics are
// exported, and no platform span or metric is made up.
func TestClassicCarriesOn(t *testing.T) {
	bin := testfunc(t)
	col := collector.Start(t)
	em := rie.StartClassic(t, bin, rie.WithFunctionName(function), telemetryEnv(col))
	var ids []string
	for _, payload := range []string{`{}`, apiGatewayEvent, `{"op":"error"}`, `{"size":100}`} {
		r, _ := invoke(t, em, payload)
		require.NotEmpty(t, r.RequestID)
		ids = append(ids, r.RequestID)
	}
	waitFor(t, func() bool { return len(indexSpans(col.Spans()).invocation) == len(ids) },
		func() string { return "the invocation spans" })
	waitFor(t, func() bool { return latest(col.Metrics()).total("faas.invocations").sum == float64(len(ids)) },
		func() string { return "faas.invocations" })
	em.Stop()

	out := em.Output()
	lines := telemetryLine.FindAllString(out, -1)
	require.Len(t, lines, 1, "one line says platform telemetry is off:\n%s", out)
	require.Contains(t, lines[0], "platform telemetry off")
	require.Contains(t, lines[0], "Telemetry.NotSupported")
	t.Log(lines[0])

	idx := indexSpans(col.Spans())
	for _, id := range ids {
		require.NotNil(t, idx.invocation[id], id)
	}
	require.Empty(t, idx.report, "no lambda.report spans")
	require.Empty(t, idx.init, "no lambda.init span")
	got := latest(col.Metrics())
	for _, name := range platformMetrics {
		require.Empty(t, got[name], name)
	}
}
