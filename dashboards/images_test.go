package dashboards_test

import (
	"testing"

	"github.com/lumen-rt/lumen/dashboards/internal/board"
	"github.com/lumen-rt/lumen/internal/promtest"
)

func renderImages(t *testing.T, stack *promtest.Stack, ds []*board.Dashboard, data produced) {
	t.Skip("not yet")
}
