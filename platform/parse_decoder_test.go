package platform

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// decoderCases are deliveries that probe where a hand-written JSON reader
// could read differently from encoding/json: escapes, keys in other cases,
// nulls, numbers and times in every form, values of the wrong type, broken
// JSON anywhere.
var decoderCases = []string{
	``, ` `, `null`, ` [ ] `, `[]x`, `[`, `[,]`, `[1,]`, `{}`, `"x"`, `7`, `nul`, `[nul]`, `[tru]`, `[true,false,null]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1}}}]`,
	// Keys: case-insensitive, escaped, unknown, Unicode folding.
	`[{"TIME":"2024-01-01T00:00:00Z","Type":"platform.report","RECORD":{"REQUESTID":"r","Metrics":{"DurationMS":1}}}]`,
	`[{"\u0074ime":"2024-01-01T00:00:00Z","type":"platform\u002ereport","record":{"request\u0049d":"r\u00e9\ud83d\ude00","metrics":{"durationMs":1}}}]`,
	"[{\"time\":\"2024-01-01T00:00:00Z\",\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\",\"metrics\":{\"\u212aey\":1,\"durationMs\":1}}}]",
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"\ud800","metrics":{"durationMs":1}}}]`,
	"[{\"time\":\"2024-01-01T00:00:00Z\",\"type\":\"platform.report\",\"record\":{\"requestId\":\"\xff\xfe\",\"metrics\":{\"durationMs\":1}}}]",
	"[{\"time\":\"2024-01-01T00:00:00Z\",\"type\":\"platform.report\",\"record\":{\"requestId\":\"a\tb\",\"metrics\":{\"durationMs\":1}}}]",
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"a\x","metrics":{"durationMs":1}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"a\u12","metrics":{"durationMs":1}}}]`,
	// Nulls leave fields as they were, or unset them.
	`[{"time":null,"type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":null,"record":{}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":null,"metrics":{"durationMs":1}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":null}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":null}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1},"spans":null,"tracing":null}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1},"spans":[null,{"name":"a","start":null}]}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.runtimeDone","record":{"requestId":"r","status":"success","metrics":null}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.restoreReport","record":{"status":"success","metrics":{"durationMs":null}}}]`,
	`[null,{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":null}]`,
	// Numbers.
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1.5e3,"billedDurationMs":2E+3,"memorySizeMB":-0,"maxMemoryUsedMB":0.000000000000000001}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":123456789012345,"billedDurationMs":1234567890123456789,"initDurationMs":0.1234567890123456}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1e400}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":-1.5}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":01}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1.}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":.5}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":+1}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1e}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.runtimeDone","record":{"requestId":"r","status":"success","metrics":{"durationMs":1,"producedBytes":4503599627370496}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.runtimeDone","record":{"requestId":"r","status":"success","metrics":{"durationMs":1,"producedBytes":4503599627370497}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.runtimeDone","record":{"requestId":"r","status":"success","metrics":{"durationMs":1,"producedBytes":12.7}}}]`,
	// Times.
	`[{"time":"2024-01-01T00:00:00.1Z","type":"platform.initReport","record":{"metrics":{"durationMs":1},"spans":[
	  {"name":"a","start":"2024-02-29T23:59:59.123456789Z","durationMs":1},{"name":"b","start":"2023-02-29T00:00:00Z","durationMs":1},
	  {"name":"c","start":"2024-01-01T00:00:00.1234567891Z","durationMs":1},{"name":"d","start":"2024-01-01T00:00:00+02:00","durationMs":1},
	  {"name":"e","start":"2024-01-01t00:00:00z","durationMs":1},{"name":"f","start":"2024-01-01T24:00:00Z","durationMs":1},
	  {"name":"g","start":"2024-01-01T00:00:60Z","durationMs":1},{"name":"h","start":"2024-01-01T00:00:00.Z","durationMs":1},
	  {"name":"i","start":"2024-01-01T00:00:00,5Z","durationMs":1},{"name":"j","start":"0000-01-01T00:00:00Z","durationMs":1},
	  {"name":"k","start":"2024-1-01T00:00:00Z","durationMs":1},{"name":"l","start":"2024-01-01T00:00:00.5-00:00","durationMs":1},
	  {"name":"m","start":"2024-01-01T00:00:00\u005a","durationMs":1},{"name":"","start":"2024-01-01T00:00:00Z"}]}}]`,
	// Values of the wrong type, in fields of the record's schema and not.
	`[{"time":1,"type":"platform.report","record":{}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":["platform.report"],"record":{}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":"text"}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1,"producedBytes":"x"}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.runtimeDone","record":{"requestId":"r","status":"success","metrics":{"producedBytes":"x"}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.initReport","record":{"requestId":5,"metrics":{"durationMs":1}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":5,"metrics":{"durationMs":1}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","status":true,"metrics":{"durationMs":1}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":[1]}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1},"spans":[1]}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1},"spans":[{"name":1}]}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1},"tracing":"x"}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1},"tracing":{"type":1}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1},"tracing":{"value":"Root=1"}}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.somethingNew","record":{"requestId":5}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"function","record":{"a":[1,2,{"b":null}]}}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"extension","record":"line"},{"time":"x","type":"function","record":"line"}]`,
	// Broken JSON after good events loses the delivery.
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1}}},{"time":}]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1}}}]]`,
	`[{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1},}}]`,
	`[{"time":"2024-01-01T00:00:00Z" "type":"platform.report"}]`,
	`[{"time":"2024-01-01T00:00:00Z",:"type"}]`,
	`[{1:2}]`,
}

// The decoder reads every case, every recorded delivery and every input
// the fuzzer finds as encoding/json reads it into the schema's types (the
// parser it replaced): the same batch, the same events left out or kept
// incomplete, the delivery lost as a whole alike.
func TestDecoderReadsAsEncodingJSON(t *testing.T) {
	for _, data := range corpus(t) {
		for _, logs := range []bool{false, true} {
			requireSameAsEncodingJSON(t, data, logs)
		}
	}
}

func FuzzDecoderReadsAsEncodingJSON(f *testing.F) {
	for _, data := range corpus(f) {
		f.Add(data, false)
		f.Add(data, true)
	}
	f.Fuzz(func(t *testing.T, data []byte, logs bool) {
		requireSameAsEncodingJSON(t, data, logs)
	})
}

// corpus is decoderCases and every recorded delivery.
func corpus(t testing.TB) [][]byte {
	var out [][]byte
	for _, c := range decoderCases {
		out = append(out, []byte(c))
	}
	for _, dir := range []string{"testdata/docs", "testdata/docs/malformed", "testdata/emulator"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		require.NoError(t, err)
		for _, file := range files {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			out = append(out, data)
		}
	}
	return out
}

func requireSameAsEncodingJSON(t *testing.T, data []byte, logs bool) {
	t.Helper()
	if duplicateKeys(data) {
		// encoding/json merges a repeated object field into the value
		// before; the decoder reads the last. Lambda repeats no key.
		return
	}
	want, wantErr := refParseBatch(data, logs)
	got, gotErr := ParseBatch(data, logs)
	got.LambdaDropped = 0 // read only by the decoder
	require.Equal(t, normal(want), normal(got), "%q", data)
	require.Equal(t, wantErr == nil, gotErr == nil, "%q: %v / %v", data, wantErr, gotErr)
	require.Equal(t, eventErrors(wantErr), eventErrors(gotErr), "%q: %v / %v", data, wantErr, gotErr)
	if gotErr != nil {
		require.ErrorIs(t, gotErr, ErrMalformed)
	}
}

// normal makes an empty list of spans nil.
func normal(b Batch) Batch {
	for i := range b.Reports {
		b.Reports[i].Spans = nilIfEmpty(b.Reports[i].Spans)
	}
	for i := range b.RuntimeDones {
		b.RuntimeDones[i].Spans = nilIfEmpty(b.RuntimeDones[i].Spans)
	}
	for i := range b.InitReports {
		b.InitReports[i].Spans = nilIfEmpty(b.InitReports[i].Spans)
	}
	for i := range b.RestoreReports {
		b.RestoreReports[i].Spans = nilIfEmpty(b.RestoreReports[i].Spans)
	}
	return b
}

func nilIfEmpty(s []Span) []Span {
	if len(s) == 0 {
		return nil
	}
	return s
}

// eventErrors lists the events an error reports, without their messages.
func eventErrors(err error) []EventError {
	var out []EventError
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return nil
	}
	for _, e := range joined.Unwrap() {
		var ee *EventError
		if errors.As(e, &ee) {
			out = append(out, EventError{Index: ee.Index, Type: ee.Type, Kept: ee.Kept})
		}
	}
	return out
}

// duplicateKeys reports whether an object of valid JSON data repeats a key
// (as encoding/json matches keys: under case folding).
func duplicateKeys(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object bool
		keys   []string
		key    bool // the next token is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err == io.EOF || err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if k, ok := tok.(string); ok && top != nil && top.object && top.key {
			for _, seen := range top.keys {
				if bytes.EqualFold([]byte(seen), []byte(k)) {
					return true
				}
			}
			top.keys = append(top.keys, k)
			top.key = false
			continue
		}
		if top != nil && top.object {
			top.key = true // a value was read; a key comes next
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, key: true})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].key = true
			}
		}
	}
}
