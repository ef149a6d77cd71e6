package main

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestGreet(t *testing.T) {
	tests := []struct {
		name    string
		req     Request
		want    string
		wantErr bool
	}{
		{name: "name", req: Request{Name: "Ada"}, want: "Hello, Ada!"},
		{name: "name with spaces", req: Request{Name: "  Grace Hopper "}, want: "Hello, Grace Hopper!"},
		{name: "empty name", req: Request{}, wantErr: true},
		{name: "blank name", req: Request{Name: " \t"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := greet(t.Context(), tt.req)
			if tt.wantErr {
				var missing *MissingNameError
				require.ErrorAs(t, err, &missing)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got.Message)
			// Outside Lambda there is no invocation in the context.
			require.Empty(t, got.RequestID)
		})
	}
}
