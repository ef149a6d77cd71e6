package rie

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// lookup returns the value the last NAME= entry gives, as os/exec resolves
// duplicates.
func lookup(env []string, name string) (string, bool) {
	val, found := "", false
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			val, found = v, true
		}
	}
	return val, found
}

func TestEnviron(t *testing.T) {
	t.Setenv("AWS_LAMBDA_MAX_CONCURRENCY", "8")
	t.Setenv("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:1")
	tests := []struct {
		name    string
		managed bool
		opts    []Option
		want    map[string]string // variables and their values
		absent  []string          // variables that must not be set
	}{
		{name: "classic defaults", want: map[string]string{"AWS_LAMBDA_FUNCTION_TIMEOUT": "30"},
			absent: []string{"AWS_LAMBDA_MAX_CONCURRENCY", "AWS_LAMBDA_RUNTIME_API", "AWS_LAMBDA_FUNCTION_NAME"}},
		{name: "classic ignores concurrency", opts: []Option{WithMaxConcurrency(4)},
			absent: []string{"AWS_LAMBDA_MAX_CONCURRENCY"}},
		{name: "managed defaults", managed: true, want: map[string]string{"AWS_LAMBDA_MAX_CONCURRENCY": "2"}},
		{name: "options", managed: true,
			opts: []Option{WithMaxConcurrency(4), WithTimeout(1), WithFunctionName("fn"), WithEnv("A=1", "AWS_LAMBDA_FUNCTION_NAME=env-wins")},
			want: map[string]string{"AWS_LAMBDA_MAX_CONCURRENCY": "4", "AWS_LAMBDA_FUNCTION_TIMEOUT": "1", "A": "1", "AWS_LAMBDA_FUNCTION_NAME": "env-wins"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newConfig(tt.opts).environ(tt.managed)
			for k, want := range tt.want {
				got, ok := lookup(env, k)
				require.True(t, ok, "%s missing", k)
				require.Equal(t, want, got, k)
			}
			for _, k := range tt.absent {
				_, ok := lookup(env, k)
				require.False(t, ok, "%s present", k)
			}
		})
	}
}

func TestModeString(t *testing.T) {
	require.Equal(t, "classic", Classic.String())
	require.Equal(t, "managed-instances", ManagedInstances.String())
}
