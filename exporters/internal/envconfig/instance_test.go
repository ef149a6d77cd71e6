package envconfig_test

import (
	"regexp"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
)

const stream = "2026/11/29/[$LATEST]0123456789abcdef0123456789abcdef"

func TestInstance(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{name: "outside Lambda", want: ""},
		{name: "log stream suffix", env: map[string]string{envconfig.EnvLogStream: stream}, want: "0123456789abcdef0123456789abcdef"},
		{name: "log stream without bracket", env: map[string]string{envconfig.EnvLogStream: "local-stream"}, want: "local-stream"},
		{name: "log stream ending in bracket", env: map[string]string{envconfig.EnvLogStream: "odd]"}, want: "odd]"},
		{
			name: "variable wins", want: "mine",
			env: map[string]string{envconfig.EnvInstance: "mine", envconfig.EnvLogStream: stream},
		},
		{
			name: "SnapStart draws at random", want: "",
			env: map[string]string{envconfig.EnvInitType: "snap-start", envconfig.EnvLogStream: stream},
		},
		{
			name: "SnapStart keeps an explicit id", want: "mine",
			env: map[string]string{envconfig.EnvInitType: "snap-start", envconfig.EnvInstance: "mine"},
		},
		{
			name: "on-demand init uses the stream", want: "0123456789abcdef0123456789abcdef",
			env: map[string]string{envconfig.EnvInitType: "on-demand", envconfig.EnvLogStream: stream},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, envconfig.Instance(env(tt.env)))
		})
	}
}

func TestID(t *testing.T) {
	hex16 := regexp.MustCompile(`^[0-9a-f]{16}$`)
	t.Run("configured", func(t *testing.T) {
		id := envconfig.ID{Configured: "env-1"}
		require.Equal(t, "env-1", id.Get())
	})
	t.Run("random once, shared by concurrent callers", func(t *testing.T) {
		var (
			id  envconfig.ID
			wg  sync.WaitGroup
			got [8]string
		)
		for i := range got {
			wg.Go(func() { got[i] = id.Get() })
		}
		wg.Wait()
		require.Regexp(t, hex16, got[0])
		for _, g := range got {
			require.Equal(t, got[0], g)
		}
		var other envconfig.ID
		require.NotEqual(t, got[0], other.Get(), "two environments draw different ids")
	})
	require.Regexp(t, hex16, envconfig.RandomID())
}

func TestJob(t *testing.T) {
	tests := []struct {
		name, job string
		env       map[string]string
		want      string
	}{
		{name: "default", want: envconfig.DefaultJob},
		{name: "function name", env: map[string]string{envconfig.EnvFunctionName: "checkout"}, want: "checkout"},
		{name: "explicit wins", job: "billing", env: map[string]string{envconfig.EnvFunctionName: "checkout"}, want: "billing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, envconfig.Job(env(tt.env), tt.job))
		})
	}
}
