package tracing

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func ringSpans(prefix string, n int) []sdktrace.ReadOnlySpan {
	out := make([]sdktrace.ReadOnlySpan, n)
	for i := range out {
		out[i] = tracetest.SpanStub{Name: prefix + strconv.Itoa(i)}.Snapshot()
	}
	return out
}

func ringNames(spans []sdktrace.ReadOnlySpan) []string {
	names := make([]string, len(spans))
	for i, s := range spans {
		names[i] = s.Name()
	}
	return names
}

// TestSpanRing checks order, growth, wrap-around, the bound and prepend
// against a plain slice model, across sizes that wrap the ring at every
// position.
func TestSpanRing(t *testing.T) {
	for _, bound := range []int{1, 3, 8, 13} {
		for _, ops := range [][2]int{{0, 5}, {2, 7}, {9, 3}, {4, 30}, {20, 1}} {
			t.Run(strconv.Itoa(bound)+"/"+strconv.Itoa(ops[0])+"+"+strconv.Itoa(ops[1]), func(t *testing.T) {
				r := spanRing{max: bound}
				model := []string{}
				drops := 0
				push := func(spans []sdktrace.ReadOnlySpan) {
					for _, s := range spans {
						if r.push(s) {
							drops++
						}
						model = append(model, s.Name())
						if len(model) > bound {
							model = model[1:]
						}
					}
				}
				push(ringSpans("a", ops[0]))
				taken := r.takeAll(nil)
				require.Equal(t, model, ringNames(taken))
				require.Zero(t, r.n)
				for _, s := range r.buf {
					require.Nil(t, s, "taken spans are not retained")
				}
				model = []string{}
				push(ringSpans("b", ops[1]))
				// give the taken spans back, as a failed flush does
				left := r.prepend(taken)
				room := bound - min(ops[1], bound)
				require.Equal(t, max(0, len(taken)-room), left)
				model = append(ringNames(taken[left:]), model...)
				require.Equal(t, model, ringNames(r.takeAll(nil)))
				require.LessOrEqual(t, len(r.buf), bound)
				require.Equal(t, max(0, ops[0]-bound)+max(0, ops[1]-bound), drops)
			})
		}
	}
}

// TestSpanRingSteadyStateAllocs: a flush of a few spans per invocation
// allocates nothing once the ring has grown.
func TestSpanRingSteadyStateAllocs(t *testing.T) {
	r := spanRing{max: 2048}
	spans := ringSpans("s", 4)
	var batch []sdktrace.ReadOnlySpan
	allocs := testing.AllocsPerRun(100, func() {
		for _, s := range spans {
			r.push(s)
		}
		batch = r.takeAll(batch[:0])
	})
	require.Zero(t, allocs)
}
