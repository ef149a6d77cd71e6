package envconfig_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
)

func TestPairs(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string]string
		wantErr  string
	}{
		{name: "empty", in: "", want: nil},
		{name: "blank", in: "  ", want: nil},
		{name: "one", in: "a=b", want: map[string]string{"a": "b"}},
		{
			name: "trimmed, empty items skipped, URL-decoded",
			in:   " team = pay%20ments ,, region=eu-west-1,x-key=a%3Db",
			want: map[string]string{"team": "pay ments", "region": "eu-west-1", "x-key": "a=b"},
		},
		{name: "later wins", in: "a=1,a=2", want: map[string]string{"a": "2"}},
		{name: "empty value", in: "a=", want: map[string]string{"a": ""}},
		{name: "value with equals", in: "a=b=c", want: map[string]string{"a": "b=c"}},
		{name: "no equals", in: "a=b,oops", wantErr: `LUMEN_X: item 2 is not name=value`},
		{name: "no name", in: "=b", wantErr: `LUMEN_X: item 1 is not name=value`},
		{name: "a malformed item is never quoted: it may be a secret", in: "Authorization Bearer s3cr3t", wantErr: `LUMEN_X: item 1 is not name=value`},
		{name: "bad escape", in: "a=%zz", wantErr: `LUMEN_X: value of "a"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := envconfig.Pairs("LUMEN_X", tt.in)
			if tt.wantErr != "" {
				require.ErrorIs(t, err, envconfig.ErrInvalidPairs)
				require.ErrorContains(t, err, tt.wantErr)
				require.NotContains(t, err.Error(), "s3cr3t")
				require.Nil(t, got)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	_, err := envconfig.Pairs("LUMEN_X", "a=%zz")
	var escape url.EscapeError
	require.ErrorAs(t, err, &escape, "the cause stays reachable")
}
