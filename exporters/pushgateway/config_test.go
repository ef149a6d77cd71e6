package pushgateway_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/pushgateway"
)

func TestGroupingKeyFromEnvironmentAndOptions(t *testing.T) {
	const stream = "2026/11/29/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	tests := []struct {
		name         string
		env          map[string]string
		opts         []pushgateway.Option
		wantJob      string
		wantInstance string
	}{
		{
			name:         "lambda environment",
			env:          map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "orders", "AWS_LAMBDA_LOG_STREAM_NAME": stream},
			wantJob:      "orders",
			wantInstance: "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
		},
		{
			name:         "published version stream",
			env:          map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "orders", "AWS_LAMBDA_LOG_STREAM_NAME": "2026/11/29/[12]abc"},
			wantJob:      "orders",
			wantInstance: "abc",
		},
		{
			name:         "stream without brackets",
			env:          map[string]string{"AWS_LAMBDA_LOG_STREAM_NAME": "custom-stream"},
			wantJob:      pushgateway.DefaultJob,
			wantInstance: "custom-stream",
		},
		{
			name: "env variables beat lambda's",
			env: map[string]string{
				"AWS_LAMBDA_FUNCTION_NAME": "orders", "AWS_LAMBDA_LOG_STREAM_NAME": stream,
				"LUMEN_PUSHGATEWAY_JOB": "env-job", "LUMEN_METRICS_INSTANCE": "env-instance",
			},
			wantJob:      "env-job",
			wantInstance: "env-instance",
		},
		{
			name: "options beat env variables",
			env: map[string]string{
				"LUMEN_PUSHGATEWAY_JOB": "env-job", "LUMEN_METRICS_INSTANCE": "env-instance",
			},
			opts:         []pushgateway.Option{pushgateway.WithJob("opt-job"), pushgateway.WithInstance("opt-instance")},
			wantJob:      "opt-job",
			wantInstance: "opt-instance",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.env["LUMEN_PUSHGATEWAY_URL"] = "http://127.0.0.1:9"
			lambdaEnv(t, tc.env)
			e, err := pushgateway.New(exportertest.NewRegistry(), tc.opts...)
			require.NoError(t, err)
			require.Equal(t, tc.wantJob, e.Job())
			require.Equal(t, tc.wantInstance, e.Instance())
		})
	}
}

func TestRandomInstance(t *testing.T) {
	hex16 := regexp.MustCompile(`^[0-9a-f]{16}$`)
	tests := []struct {
		name string
		env  map[string]string
	}{
		{"outside lambda", map[string]string{}},
		{"snapstart ignores the captured stream", map[string]string{
			"AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start",
			"AWS_LAMBDA_LOG_STREAM_NAME":     "2026/11/29/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.env["LUMEN_PUSHGATEWAY_URL"] = "http://127.0.0.1:9"
			lambdaEnv(t, tc.env)
			a, err := pushgateway.New(exportertest.NewRegistry())
			require.NoError(t, err)
			b, err := pushgateway.New(exportertest.NewRegistry())
			require.NoError(t, err)
			require.Regexp(t, hex16, a.Instance())
			require.Equal(t, a.Instance(), a.Instance(), "drawn once")
			require.NotEqual(t, a.Instance(), b.Instance(), "each environment draws its own")
		})
	}
}

func TestInvalidConfig(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		opts []pushgateway.Option
		want string
	}{
		{"no url", map[string]string{}, nil, "no Pushgateway URL"},
		{"no scheme", map[string]string{"LUMEN_PUSHGATEWAY_URL": "pgw:9091"}, nil, "want http(s)"},
		{"metrics path", nil, []pushgateway.Option{pushgateway.WithURL("http://pgw:9091/metrics/job/x")}, "without /metrics"},
		{"bad headers", map[string]string{"LUMEN_PUSHGATEWAY_URL": "http://pgw", "LUMEN_PUSHGATEWAY_HEADERS": "novalue"}, nil, "LUMEN_PUSHGATEWAY_HEADERS"},
		{"bad escape", map[string]string{"LUMEN_PUSHGATEWAY_URL": "http://pgw", "LUMEN_PUSHGATEWAY_HEADERS": "a=%zz"}, nil, "value of \"a\""},
		{"grouping job", map[string]string{"LUMEN_PUSHGATEWAY_URL": "http://pgw", "LUMEN_PUSHGATEWAY_GROUPING": "job=x"}, nil, "use WithJob"},
		{"grouping instance", map[string]string{"LUMEN_PUSHGATEWAY_URL": "http://pgw"}, []pushgateway.Option{pushgateway.WithGrouping("instance", "x")}, "use WithJob or WithInstance"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lambdaEnv(t, tc.env)
			_, err := pushgateway.New(exportertest.NewRegistry(), tc.opts...)
			require.ErrorIs(t, err, pushgateway.ErrInvalidConfig)
			require.ErrorContains(t, err, tc.want)
		})
	}
	t.Run("nil gatherer", func(t *testing.T) {
		_, err := pushgateway.New(nil, pushgateway.WithURL("http://pgw"))
		require.ErrorIs(t, err, pushgateway.ErrInvalidConfig)
	})
}

func TestRequestsCarryGroupingAndAuth(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		opts       []pushgateway.Option
		wantKey    map[string]string
		wantHeader http.Header
	}{
		{
			name:    "plain",
			opts:    []pushgateway.Option{pushgateway.WithJob("fn"), pushgateway.WithInstance("env1")},
			wantKey: map[string]string{"job": "fn", "instance": "env1"},
		},
		{
			name: "basic auth and headers from env",
			env: map[string]string{
				"LUMEN_PUSHGATEWAY_USERNAME": "user", "LUMEN_PUSHGATEWAY_PASSWORD": "pa:ss",
				"LUMEN_PUSHGATEWAY_HEADERS": "X-Scope-OrgID=tenant%201, X-Extra=a=b",
			},
			opts:    []pushgateway.Option{pushgateway.WithJob("fn"), pushgateway.WithInstance("env1")},
			wantKey: map[string]string{"job": "fn", "instance": "env1"},
			wantHeader: http.Header{
				"Authorization": {"Basic dXNlcjpwYTpzcw=="},
				"X-Scope-Orgid": {"tenant 1"},
				"X-Extra":       {"a=b"},
			},
		},
		{
			name: "bearer from env, header option wins",
			env: map[string]string{
				"LUMEN_PUSHGATEWAY_BEARER_TOKEN": "tok", "LUMEN_PUSHGATEWAY_HEADERS": "X-Team=env",
			},
			opts: []pushgateway.Option{
				pushgateway.WithJob("fn"), pushgateway.WithInstance("env1"),
				pushgateway.WithHeaders(map[string]string{"X-Team": "option"}),
			},
			wantKey:    map[string]string{"job": "fn", "instance": "env1"},
			wantHeader: http.Header{"Authorization": {"Bearer tok"}, "X-Team": {"option"}},
		},
		{
			name: "basic auth option beats bearer",
			opts: []pushgateway.Option{
				pushgateway.WithJob("fn"), pushgateway.WithInstance("env1"),
				pushgateway.WithBearerToken("tok"), pushgateway.WithBasicAuth("u", "p"),
			},
			wantKey:    map[string]string{"job": "fn", "instance": "env1"},
			wantHeader: http.Header{"Authorization": {"Basic dTpw"}},
		},
		{
			name:    "grouping labels and a slash in the instance",
			env:     map[string]string{"LUMEN_PUSHGATEWAY_GROUPING": "region=eu-west-1"},
			opts:    []pushgateway.Option{pushgateway.WithJob("fn"), pushgateway.WithInstance("a/b")},
			wantKey: map[string]string{"job": "fn", "instance@base64": "YS9i", "region": "eu-west-1"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gw := newFakeGateway(t, http.StatusOK)
			if tc.env == nil {
				tc.env = map[string]string{}
			}
			tc.env["LUMEN_PUSHGATEWAY_URL"] = gw.URL
			lambdaEnv(t, tc.env)
			reg := exportertest.NewRegistry()
			reg.Invoke(10, 5)
			e, err := pushgateway.New(reg, tc.opts...)
			require.NoError(t, err)
			require.NoError(t, e.ForceFlush(t.Context()))
			require.NoError(t, e.Shutdown(t.Context()))

			reqs := gw.Requests()
			require.Len(t, reqs, 2)
			require.Equal(t, http.MethodPut, reqs[0].Method)
			require.Equal(t, http.MethodDelete, reqs[1].Method)
			for _, r := range reqs {
				require.Equal(t, tc.wantKey, groupingKey(t, r.Path))
				for name, want := range tc.wantHeader {
					require.Equal(t, want, r.Header.Values(name), name)
				}
				if tc.wantHeader.Get("Authorization") == "" {
					require.Empty(t, r.Header.Get("Authorization"))
				}
			}
			inv := reqs[0].Families["lumen_test_invocations_total"]
			require.NotNil(t, inv)
			byResult := map[string]float64{}
			for _, m := range inv.GetMetric() {
				byResult[m.GetLabel()[0].GetValue()] = m.GetCounter().GetValue()
			}
			require.Equal(t, map[string]float64{"success": 8, "error": 2}, byResult)
			require.Equal(t, uint64(10), reqs[0].Families["lumen_test_duration_seconds"].GetMetric()[0].GetHistogram().GetSampleCount())
		})
	}
}

// groupingKey parses /metrics/<name>/<value>/... into a map, keeping the
// @base64 suffix on names; the order of the pairs is free.
func groupingKey(t *testing.T, path string) map[string]string {
	parts := strings.Split(strings.TrimPrefix(path, "/metrics/"), "/")
	require.Zero(t, len(parts)%2, path)
	key := map[string]string{}
	for i := 0; i < len(parts); i += 2 {
		key[parts[i]] = parts[i+1]
	}
	return key
}
