package logging_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/logging"
)

// hostile are inputs that try to end a line early, start a forged one, or
// disturb a terminal.
var hostile = []string{
	"a\nlevel=ERROR message=forged",
	"a\r\ntimestamp=2024-05-01T12:00:00.000Z level=FATAL message=forged",
	"}\n{\"level\":\"ERROR\",\"message\":\"forged\"}",
	"line\u2028separator\u2029paragraph",
	"next\u0085line",
	"\x1b[31mred\x1b[0m",
	"nul\x00byte",
	"tab\tand\vvertical\fform",
	`"quoted" = x`,
	"bad\xffutf8",
	"del\x7f",
	"",
}

type stringer string

func (s stringer) String() string { return string(s) }

// checkLine fails unless line is one well-formed line of format: valid
// UTF-8 with no raw C0 control character or line separator and, in text, no
// raw non-printing character at all. DEL (0x7f), which neither ends a line
// nor moves a terminal's cursor, is passed through by slog's encoders.
func checkLine(t *testing.T, format logging.Format, line string) {
	t.Helper()
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		i += size
		require.False(t, r == utf8.RuneError && size == 1, "raw invalid UTF-8 in %q", line)
		if format == logging.FormatText {
			require.True(t, unicode.IsPrint(r) || r == 0x7f, "raw %U in %q", r, line)
		} else {
			require.True(t, r >= 0x20 && r != '\u2028' && r != '\u2029', "raw %U in %q", r, line)
		}
	}
	if format == logging.FormatJSON {
		require.True(t, json.Valid([]byte(line)), line)
	}
}

func TestHostileInputCannotForgeLines(t *testing.T) {
	info := newInfo(9, false)
	info.Lambda.TenantID = "tenant\nlevel=ERROR"
	info.Lambda.InvokedFunctionArn = "arn\r\nforged"
	ctx, _ := withSpan(invocation.NewContext(context.Background(), info), 9)

	for _, format := range formats {
		t.Run(format.String(), func(t *testing.T) {
			var buf bytes.Buffer
			l := slog.New(logging.NewHandler(&buf, logging.WithFormat(format)))
			records := 0
			for _, s := range hostile {
				l.InfoContext(ctx, s, "v", s)
				l.InfoContext(ctx, "key", s, "v")
				l.InfoContext(ctx, "any", "stringer", stringer(s), "err", errors.New(s), "bytes", []byte(s))
				l.WithGroup(s).InfoContext(ctx, "group", "k", s)
				l.With(s, s).InfoContext(ctx, "with")
				records += 5
			}
			out := buf.String()
			require.True(t, strings.HasSuffix(out, "\n"))
			ls := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			require.Len(t, ls, records, "one line per record")

			for i, s := range hostile {
				for _, line := range ls[5*i : 5*i+5] {
					checkLine(t, format, line)
				}
				m := parseLine(t, format, ls[5*i])
				want := s
				if format == logging.FormatJSON {
					want = strings.ToValidUTF8(s, "\ufffd") // JSON cannot carry invalid UTF-8
				}
				require.Equal(t, want, m[logging.MessageKey])
				require.Equal(t, want, m["v"])
				require.Equal(t, "tenant\nlevel=ERROR", m[logging.TenantIDKey])
				require.Equal(t, requestID(9), m[logging.RequestIDKey])
			}
		})
	}
}

// FuzzNoForgedLines checks that any message, key and value make exactly one
// well-formed line in both formats.
func FuzzNoForgedLines(f *testing.F) {
	for _, s := range hostile {
		f.Add(s, s, s)
	}
	f.Fuzz(func(t *testing.T, msg, key, value string) {
		ctx, _ := invocationCtx(1)
		for _, format := range formats {
			var buf bytes.Buffer
			l := slog.New(logging.NewHandler(&buf, logging.WithFormat(format)))
			l.WithGroup(key).With(key, value).InfoContext(ctx, msg, key, value, "err", errors.New(value))
			out := buf.String()
			require.Equal(t, 1, strings.Count(out, "\n"), "%q", out)
			require.True(t, strings.HasSuffix(out, "\n"))
			checkLine(t, format, strings.TrimSuffix(out, "\n"))
		}
	})
}
