package turn_test

import (
	"context"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/lumen-rt/lumen/exporters/internal/turn"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestTurn(t *testing.T) {
	tests := []struct {
		name     string
		held     bool // another holder keeps the token
		canceled bool // the waiter's context is already done
		wantErr  error
	}{
		{name: "free"},
		{name: "held, context ends", held: true, canceled: true, wantErr: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tu := turn.New()
			if tt.held {
				require.NoError(t, tu.Acquire(t.Context()))
			}
			ctx, cancel := context.WithCancel(t.Context())
			if tt.canceled {
				cancel()
			}
			defer cancel()
			err := tu.Acquire(ctx)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			tu.Release()
		})
	}
}

// TestWaiterGetsTokenOnRelease checks that a waiter blocks until the holder
// releases, then takes the token.
func TestWaiterGetsTokenOnRelease(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tu := turn.New()
		require.NoError(t, tu.Acquire(t.Context()))
		got := make(chan error, 1)
		go func() { got <- tu.Acquire(t.Context()) }()
		synctest.Wait()
		select {
		case <-got:
			t.Fatal("acquired a held token")
		default:
		}
		tu.Release()
		require.NoError(t, <-got)
	})
}
