package metrics

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// With nothing but Lumen's instruments on the registry, Visit gathers
// nothing.
func TestVisitGathersNothingWithoutOtherCollectors(t *testing.T) {
	r, err := New(WithRuntimeCollectors(false), WithRuntimeCollectorsMaxAge(0))
	require.NoError(t, err)
	r.Visit(func(*Series) {})
	r.VisitFresh(func(*Series) {})
	require.Zero(t, r.gathered.gen, "no gather")

	r, err = New(WithRuntimeCollectorsMaxAge(0))
	require.NoError(t, err)
	r.Visit(func(*Series) {})
	require.Equal(t, uint64(1), r.gathered.gen, "the runtime collectors are gathered")
}
