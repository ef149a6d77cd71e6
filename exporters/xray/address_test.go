package xray

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseDaemonAddress(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{in: "127.0.0.1:2000", want: "127.0.0.1:2000"},
		{in: "  169.254.79.129:2000 ", want: "169.254.79.129:2000"},
		{in: "localhost:3000", want: "localhost:3000"},
		{in: "[::1]:2000", want: "[::1]:2000"},
		{in: "tcp:127.0.0.1:2000 udp:127.0.0.2:2001", want: "127.0.0.2:2001"},
		{in: "udp:127.0.0.2:2001 tcp:127.0.0.1:2000", want: "127.0.0.2:2001"},
		{in: "", wantErr: true},
		{in: "127.0.0.1", wantErr: true},
		{in: ":2000", wantErr: true},
		{in: "127.0.0.1:0", wantErr: true},
		{in: "127.0.0.1:70000", wantErr: true},
		{in: "127.0.0.1:http", wantErr: true},
		{in: "udp:127.0.0.1:2000", wantErr: true},
		{in: "tcp:127.0.0.1:2000 tcp:127.0.0.1:2001", wantErr: true},
		{in: "tcp:127.0.0.1:2000 udp:127.0.0.1", wantErr: true},
		{in: "a:1 b:2 c:3", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDaemonAddress(tt.in)
			if tt.wantErr {
				require.ErrorIs(t, err, ErrInvalidAddress)
				var ae *AddressError
				require.ErrorAs(t, err, &ae)
				require.Equal(t, tt.in, ae.Value)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestNewAddressPrecedence(t *testing.T) {
	d := startDaemon(t)
	tests := []struct {
		name string
		env  string
		opts []Option
		want string
	}{
		{name: "default", want: DefaultDaemonAddress},
		{name: "the variable is the telemetry package's to read", env: "tcp:127.0.0.1:2000 udp:" + d.Addr(), want: DefaultDaemonAddress},
		{name: "option, in the daemon's tcp/udp form", opts: []Option{WithDaemonAddress("tcp:127.0.0.1:2000 udp:" + d.Addr())}, want: d.Addr()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvDaemonAddress, tt.env)
			e, err := New(t.Context(), tt.opts...)
			require.NoError(t, err)
			t.Cleanup(func() { require.NoError(t, e.Shutdown(context.Background())) })
			require.Equal(t, tt.want, e.Addr())
		})
	}
	t.Run("bad address", func(t *testing.T) {
		_, err := New(t.Context(), WithDaemonAddress("udp:nowhere"))
		require.ErrorIs(t, err, ErrInvalidAddress)
	})
}
