package promtest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"
)

// WaitGroups polls the Pushgateway until the grouping keys of the groups it
// holds are exactly want (in any order; nil or empty for none), or ctx
// ends. The Pushgateway applies a DELETE after answering it (202 Accepted),
// so a test reads the groups after a delete through WaitGroups, never with
// one [Stack.Groups] call. On ctx's end the error wraps ctx.Err() and says
// what the last answer was.
func (s *Stack) WaitGroups(ctx context.Context, want []map[string]string) error {
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	var last any = "none"
	for {
		got, err := s.Groups(ctx)
		switch {
		case err == nil && SameGroups(got, want):
			return nil
		case err == nil:
			last = got
		case ctx.Err() == nil:
			last = err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("pushgateway groups: want %v: %w (last answer: %v)", want, ctx.Err(), last)
		case <-tick.C:
		}
	}
}

// SameGroups reports whether a and b hold the same grouping keys, in any
// order.
func SameGroups(a, b []map[string]string) bool {
	key := func(gs []map[string]string) []string {
		out := make([]string, 0, len(gs))
		for _, g := range gs {
			out = append(out, fmt.Sprint(slices.Sorted(maps.Keys(g)), g))
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(key(a), key(b))
}
