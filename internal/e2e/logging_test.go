package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/rie"
)

// The logging tests read the function's stdout as the emulator relays it
// (rie.Emulator.Output), interleaved with the emulator's own lines and,
// unless turned off, CloudWatch EMF documents: only lines in the handler's
// shape are parsed, JSON objects with timestamp, level and message, or Text
// lines that start with "timestamp=".

// logLine is one line the function logged, its values as decoded: JSON
// values for the JSON format, strings for Text.
type logLine map[string]any

// logFormat parses the function's lines out of the emulator's output.
type logFormat func(out string) []logLine

// jsonLines returns the JSON lines in the handler's shape.
func jsonLines(out string) []logLine {
	var lines []logLine
	for l := range strings.Lines(out) {
		if !strings.HasPrefix(l, "{") {
			continue
		}
		var m logLine
		if json.Unmarshal([]byte(l), &m) != nil {
			continue
		}
		if _, ok := m["timestamp"]; ok && m["level"] != nil && m["message"] != nil {
			lines = append(lines, m)
		}
	}
	return lines
}

// textLines returns the Text lines (key=value pairs, values quoted with Go
// escapes where needed) in the handler's shape.
func textLines(out string) []logLine {
	var lines []logLine
	for l := range strings.Lines(out) {
		if !strings.HasPrefix(l, "timestamp=") {
			continue
		}
		if m, ok := parseLogfmt(strings.TrimRight(l, "\n")); ok {
			lines = append(lines, m)
		}
	}
	return lines
}

func parseLogfmt(s string) (logLine, bool) {
	m := logLine{}
	for s != "" {
		key, rest, ok := strings.Cut(s, "=")
		if !ok || key == "" || strings.ContainsAny(key, " \"") {
			return nil, false
		}
		var val string
		if strings.HasPrefix(rest, `"`) {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return nil, false
			}
			val, _ = strconv.Unquote(q)
			rest = rest[len(q):]
		} else {
			val, rest, _ = strings.Cut(rest, " ")
			rest = " " + rest
		}
		m[key] = val
		s = strings.TrimPrefix(rest, " ")
	}
	return m, true
}

// where returns the lines whose message is msg.
func where(lines []logLine, msg string) []logLine {
	var out []logLine
	for _, l := range lines {
		if l["message"] == msg {
			out = append(out, l)
		}
	}
	return out
}

// waitLines polls the emulator's output until ok holds for the lines parse
// finds in it, and returns them. The output of a process has no event to
// wait on; polling it is how its arrival is observed.
func waitLines(t *testing.T, em *rie.Emulator, parse logFormat, what string, ok func([]logLine) bool) []logLine {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), telemetryWait)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		lines := parse(em.Output())
		if ok(lines) {
			return lines
		}
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s in the function's output: %v\n%s", what, ctx.Err(), em.Output())
		case <-tick.C:
		}
	}
}

// waitMessage waits until a line with message msg at level arrived; the
// log op writes ERROR last, so its arrival means the lines before it are in.
func waitMessage(t *testing.T, em *rie.Emulator, parse logFormat, msg, level string) []logLine {
	t.Helper()
	return where(waitLines(t, em, parse, fmt.Sprintf("%s at %s", msg, level), func(lines []logLine) bool {
		for _, l := range where(lines, msg) {
			if l["level"] == level {
				return true
			}
		}
		return false
	}), msg)
}

// levels returns the level of each line.
func levels(lines []logLine) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, fmt.Sprint(l["level"]))
	}
	return out
}

// timestampRE is Lambda's timestamp: RFC 3339 in UTC with milliseconds.
const timestampRE = `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`

// untracedEnv turns tracing and metrics off, whatever the test's
// environment says, so that only the log lines are on stdout.
func untracedEnv(kv ...string) rie.Option {
	return rie.WithEnv(append([]string{
		"OTEL_TRACES_EXPORTER=none", "LUMEN_METRICS_EXPORTER=none", "OTEL_LOGS_EXPORTER=",
	}, kv...)...)
}

// TestLoggingClassic runs the log op twice per configuration under the
// classic emulator (a cold start, then a warm invocation) and checks every
// line the handler wrote through slog's default logger: the format
// (AWS_LAMBDA_LOG_FORMAT), the level filter (AWS_LAMBDA_LOG_LEVEL), the
// request ids and cold_start. Classic mode sends no trace header and no
// tracer is configured, so the trace fields are absent rather than made up.
func TestLoggingClassic(t *testing.T) {
	bin := testfunc(t)
	tests := []struct {
		name       string
		format     string
		level      string
		text       bool // Text format: every value is a string
		wantLevels []string
	}{
		{name: "JSON, default level INFO", format: "JSON", wantLevels: []string{"INFO", "WARN", "ERROR"}},
		{name: "JSON, DEBUG", format: "JSON", level: "DEBUG", wantLevels: []string{"DEBUG", "INFO", "WARN", "ERROR"}},
		{name: "JSON, warn in lower case", format: "json", level: "warn", wantLevels: []string{"WARN", "ERROR"}},
		{name: "JSON, ERROR", format: "JSON", level: "ERROR", wantLevels: []string{"ERROR"}},
		{name: "Text by default", text: true, wantLevels: []string{"INFO", "WARN", "ERROR"}},
		{name: "Text, DEBUG", format: "Text", level: "DEBUG", text: true, wantLevels: []string{"DEBUG", "INFO", "WARN", "ERROR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parse := logFormat(jsonLines)
			if tt.text {
				parse = textLines
			}
			em := rie.StartClassic(t, bin, rie.WithFunctionName("lumen-logs"), untracedEnv(
				"AWS_LAMBDA_LOG_FORMAT="+tt.format, "AWS_LAMBDA_LOG_LEVEL="+tt.level))
			for i, wantCold := range []bool{true, false} {
				msg := fmt.Sprintf("classic line %d", i)
				hs := decodeHandlerSpan(t, invoke(t, em, event{Op: "log", Message: msg}, nil))
				require.Empty(t, hs.TraceID, "no tracer, no span in the handler's context")
				lines := waitMessage(t, em, parse, msg, "ERROR")
				require.Equal(t, tt.wantLevels, levels(lines))
				for _, l := range lines {
					cold := any(wantCold)
					if tt.text {
						cold = strconv.FormatBool(wantCold)
					}
					require.Equal(t, hs.RequestID, l["requestId"], "line %v", l)
					require.Equal(t, hs.RequestID, l["function_request_id"], "line %v", l)
					require.Equal(t, cold, l["cold_start"], "line %v", l)
					require.Equal(t, "lumen-logs", l["function_name"], "line %v", l)
					require.Equal(t, "before", l["phase"], "line %v", l)
					require.Regexp(t, timestampRE, l["timestamp"])
					for _, absent := range []string{"xray_trace_id", "trace_id", "span_id"} {
						require.NotContains(t, l, absent, "line %v", l)
					}
				}
			}
		})
	}
}

// duplicateKeys returns the top-level keys that occur more than once in the
// JSON object line.
func duplicateKeys(t *testing.T, line string) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(line)))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	seen := map[string]bool{}
	var dups []string
	for dec.More() {
		tok, err := dec.Token()
		require.NoError(t, err)
		key := tok.(string)
		if seen[key] {
			dups = append(dups, key)
		}
		seen[key] = true
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	return dups
}

// TestLoggingInvocationFailedLineHasNoDuplicateKeys: the runtime logs a
// failed invocation in the invocation's context, from which Lumen's log
// handler (the default logger Start installs) writes requestId; the runtime
// once added "requestId" itself as well, and the JSON line carried the key
// twice, which leaves its meaning to the parser (RFC 8259, section 4). Each
// key must occur once.
func TestLoggingInvocationFailedLineHasNoDuplicateKeys(t *testing.T) {
	em := rie.StartClassic(t, testfunc(t), untracedEnv("AWS_LAMBDA_LOG_FORMAT=JSON", "AWS_LAMBDA_LOG_LEVEL="))
	resp := invoke(t, em, event{Op: "error", Message: "card declined"}, nil)
	require.Equal(t, "ValidationError", errorDocument(t, resp).Type)
	waitMessage(t, em, jsonLines, "invocation failed", "ERROR")
	for l := range strings.Lines(em.Output()) {
		if strings.HasPrefix(l, "{") && strings.Contains(l, `"message":"invocation failed"`) {
			require.Empty(t, duplicateKeys(t, l), "duplicate keys in %s", l)
		}
	}
}
