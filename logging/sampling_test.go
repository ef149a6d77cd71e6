package logging_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/logging"
)

func TestSampling(t *testing.T) {
	tests := []struct {
		name string
		opts []logging.Option
		rate float64 // the rate written on every line; 0: no sampling_rate key
	}{
		{name: "unset", rate: 0},
		{name: "zero", opts: rate(0), rate: 0},
		{name: "one", opts: rate(1), rate: 1},
		{name: "above one is clamped", opts: rate(2.5), rate: 1},
		{name: "negative is clamped", opts: rate(-1), rate: 0},
		{name: "NaN is off", opts: rate(math.NaN()), rate: 0},
		{name: "later wins/on", opts: rate(0, 1), rate: 1},
		{name: "later wins/off", opts: rate(1, 0), rate: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, parse := capture(t, logging.FormatJSON, tt.opts...)
			inv, _ := invocationCtx(1)
			l.DebugContext(inv, "debug in invocation")
			l.Log(inv, logging.LevelTrace, "trace in invocation") // sampling stops at DEBUG
			l.DebugContext(context.Background(), "debug outside") // never sampled
			l.InfoContext(inv, "info")
			ms := parse()
			var msgs []string
			for _, m := range ms {
				msgs = append(msgs, str(m[logging.MessageKey]))
				if tt.rate > 0 {
					require.InDelta(t, tt.rate, m[logging.SamplingRateKey], 0)
				} else {
					require.NotContains(t, m, logging.SamplingRateKey)
				}
			}
			if tt.rate == 1 {
				require.Equal(t, []string{"debug in invocation", "info"}, msgs)
			} else {
				require.Equal(t, []string{"info"}, msgs)
			}
		})
	}
}

// rate returns one WithSampleRate option per rate, in order.
func rate(rates ...float64) []logging.Option {
	var opts []logging.Option
	for _, r := range rates {
		opts = append(opts, logging.WithSampleRate(r))
	}
	return opts
}

func TestSampledShareAndDeterminism(t *testing.T) {
	const n = 20000
	for _, rate := range []float64{0.01, 0.1, 0.25, 0.5, 0.9} {
		t.Run(fmt.Sprint(rate), func(t *testing.T) {
			hits := 0
			for i := range n {
				id := requestID(i)
				s := logging.Sampled(id, rate)
				require.Equal(t, s, logging.Sampled(id, rate), "the decision is a function of the request id")
				if s {
					hits++
					// A sampled invocation stays sampled at any higher rate.
					require.True(t, logging.Sampled(id, rate+0.05))
				}
			}
			share := float64(hits) / n
			require.InDelta(t, rate, share, 0.02, "share of %d sequential request ids", n)
		})
	}
	require.False(t, logging.Sampled("", 1), "no request id, no sampling")
	require.False(t, logging.Sampled(requestID(1), 0))
	require.True(t, logging.Sampled(requestID(1), 1))
}
