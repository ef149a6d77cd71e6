package exportertest

import (
	"context"
	"testing"

	"github.com/lumen-rt/lumen/exporters"
)

// Build looks name up with lookup (exporters.LookupSpanExporter,
// LookupMetricsExporter or LookupLogExporter) and builds the exporter from
// cfg the way the runtime does. A failed lookup fails the test; the
// factory's error is returned. A built exporter is shut down when the test
// ends.
func Build[E interface{ Shutdown(context.Context) error }, F ~func(context.Context, exporters.Config) (E, error)](
	t testing.TB, lookup func(string) (F, error), name string, cfg exporters.Config,
) (E, error) {
	t.Helper()
	f, err := lookup(name)
	if err != nil {
		t.Fatalf("lookup %q: %v", name, err)
	}
	exp, err := f(t.Context(), cfg)
	if err == nil {
		t.Cleanup(func() { _ = exp.Shutdown(context.Background()) })
	}
	return exp, err
}
