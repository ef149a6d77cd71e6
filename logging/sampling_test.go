package logging_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/logging"
)

func TestSamplingFromEnvironment(t *testing.T) {
	tests := []struct {
		name   string
		env    string
		option []logging.Option
		rate   float64 // the rate written on every line; 0: no sampling_rate key
	}{
		{name: "unset", env: "", rate: 0},
		{name: "zero", env: "0", rate: 0},
		{name: "one", env: "1", rate: 1},
		{name: "above one is clamped", env: "2.5", rate: 1},
		{name: "negative is clamped", env: "-1", rate: 0},
		{name: "NaN is off", env: "NaN", rate: 0},
		{name: "spaces", env: " 1 ", rate: 1},
		{name: "option wins", env: "0", option: []logging.Option{logging.WithSampleRate(1)}, rate: 1},
		{name: "option off", env: "1", option: []logging.Option{logging.WithSampleRate(0)}, rate: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			t.Setenv(logging.EnvSampleRate, tt.env)
			l, parse := capture(t, logging.FormatJSON, tt.option...)
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
