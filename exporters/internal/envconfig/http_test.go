package envconfig_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
)

func TestReadHTTPAndApply(t *testing.T) {
	const p = "LUMEN_X_"
	tests := []struct {
		name    string
		env     map[string]string
		want    http.Header
		wantErr bool
	}{
		{name: "nothing", want: http.Header{}},
		{
			name: "bearer and headers",
			env:  map[string]string{p + "BEARER_TOKEN": "t0k", p + "HEADERS": "X-Scope-OrgID=acme,X-Note=a%20b"},
			want: http.Header{"Authorization": {"Bearer t0k"}, "X-Scope-Orgid": {"acme"}, "X-Note": {"a b"}},
		},
		{
			name: "basic wins over bearer and a header",
			env:  map[string]string{p + "USERNAME": "u", p + "PASSWORD": "p", p + "BEARER_TOKEN": "t0k", p + "HEADERS": "Authorization=x"},
			want: http.Header{"Authorization": {"Basic dTpw"}},
		},
		{name: "password alone is basic auth", env: map[string]string{p + "PASSWORD": "p"}, want: http.Header{"Authorization": {"Basic OnA="}}},
		{name: "bad headers", env: map[string]string{p + "HEADERS": "nope"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := envconfig.ReadHTTP(env(tt.env), p)
			if tt.wantErr {
				require.ErrorIs(t, err, envconfig.ErrInvalidPairs)
				require.ErrorContains(t, err, p+"HEADERS")
				return
			}
			require.NoError(t, err)
			req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "http://127.0.0.1/", nil)
			req.Header = http.Header{}
			h.Apply(req)
			require.Equal(t, tt.want, req.Header)
		})
	}
}

func TestMerge(t *testing.T) {
	base := map[string]string{"a": "1", "b": "2"}
	got := envconfig.Merge(base, map[string]string{"b": "3", "c": "4"})
	require.Equal(t, map[string]string{"a": "1", "b": "3", "c": "4"}, got)
	require.Equal(t, map[string]string{"a": "1", "b": "2"}, base, "the original is untouched")
	require.Equal(t, map[string]string{}, envconfig.Merge(nil, nil))
}

func TestParseHTTPURL(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{in: "http://127.0.0.1:9091", ok: true},
		{in: "https://pgw.example/prefix", ok: true},
		{in: "ftp://pgw.example"},
		{in: "127.0.0.1:9091"},
		{in: "http://"},
		{in: "http://a b/%zz"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, err := envconfig.ParseHTTPURL(tt.in)
			if !tt.ok {
				require.ErrorIs(t, err, envconfig.ErrInvalidURL)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.in, u.String())
		})
	}
}
