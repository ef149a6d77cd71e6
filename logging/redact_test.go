package logging_test

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/logging"
)

// secretValuer is a LogValuer that resolves to a group holding a secret.
type secretValuer struct{}

func (secretValuer) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user", "ann"), slog.String("api_key", "k-123"))
}

func TestRedaction(t *testing.T) {
	tests := []struct {
		name string
		opts []logging.Option
		log  func(l *slog.Logger)
		want map[string]any // expected attributes (JSON-decoded)
	}{
		{
			name: "defaults",
			log: func(l *slog.Logger) {
				l.Info("m", "password", "hunter2", "DB_PASSWORD", "x", "Authorization", "Bearer abc",
					"X-Amz-Security-Token", "tok", "client_secret", "s", "tokens_used", 12, "user", "ann",
					"x-api-key", "k", "Set-Cookie", "c", "aws_secret_access_key", "a")
			},
			want: map[string]any{
				"password": logging.RedactedValue, "DB_PASSWORD": logging.RedactedValue,
				"Authorization": logging.RedactedValue, "X-Amz-Security-Token": logging.RedactedValue,
				"client_secret": logging.RedactedValue, "tokens_used": 12.0, "user": "ann",
				"x-api-key": logging.RedactedValue, "Set-Cookie": logging.RedactedValue,
				"aws_secret_access_key": logging.RedactedValue,
			},
		},
		{
			name: "nested groups and LogValuers",
			log: func(l *slog.Logger) {
				l.Info("m", slog.Group("req", slog.String("path", "/"), slog.Group("headers", slog.String("authorization", "Bearer x"))),
					"caller", secretValuer{}, slog.Group("credentials", slog.String("id", "AKIA"), slog.String("region", "eu")))
			},
			want: map[string]any{
				"req":         map[string]any{"path": "/", "headers": map[string]any{"authorization": logging.RedactedValue}},
				"caller":      map[string]any{"user": "ann", "api_key": logging.RedactedValue},
				"credentials": logging.RedactedValue,
			},
		},
		{
			name: "WithAttrs and a redacted WithGroup",
			log: func(l *slog.Logger) {
				l.With("token", "t1", "ok", 1).WithGroup("secrets").With("a", "1").Info("m", "b", "2", slog.Group("c", "d", "3"))
			},
			want: map[string]any{
				"token": logging.RedactedValue, "ok": 1.0,
				"secrets": map[string]any{"a": logging.RedactedValue, "b": logging.RedactedValue, "c": logging.RedactedValue},
			},
		},
		{
			name: "without defaults",
			opts: []logging.Option{logging.WithoutDefaultRedaction()},
			log:  func(l *slog.Logger) { l.Info("m", "password", "hunter2", "ssn", "1") },
			want: map[string]any{"password": "hunter2", "ssn": "1"},
		},
		{
			name: "extra keys, same matching",
			opts: []logging.Option{logging.WithRedactKeys("SSN", "")},
			log:  func(l *slog.Logger) { l.Info("m", "user_ssn", "1", "password", "p", "ssn.x", "kept") },
			want: map[string]any{"user_ssn": logging.RedactedValue, "password": logging.RedactedValue, "ssn.x": "kept"},
		},
		{
			name: "only extra keys",
			opts: []logging.Option{logging.WithoutDefaultRedaction(), logging.WithRedactKeys("pin")},
			log:  func(l *slog.Logger) { l.Info("m", "card_pin", "1234", "token", "t") },
			want: map[string]any{"card_pin": logging.RedactedValue, "token": "t"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The same policy through NewHandler and through Wrap.
			for _, wrapped := range []bool{false, true} {
				var buf bytes.Buffer
				var h slog.Handler
				if wrapped {
					h = logging.Wrap(slog.NewJSONHandler(&buf, nil), tt.opts...)
				} else {
					h = logging.NewHandler(&buf, append([]logging.Option{logging.WithFormat(logging.FormatJSON)}, tt.opts...)...)
				}
				tt.log(slog.New(h))
				ls := lines(buf.String())
				require.Len(t, ls, 1)
				m := parseJSON(t, ls[0])
				for k, v := range tt.want {
					require.Equal(t, v, m[k], "key %q (wrapped=%v) in %s", k, wrapped, ls[0])
				}
			}
		})
	}
}

func TestDefaultRedactKeysIsACopy(t *testing.T) {
	k := logging.DefaultRedactKeys()
	require.Contains(t, k, "password")
	k[0] = "changed"
	require.Contains(t, logging.DefaultRedactKeys(), "password")
}
