package platform_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/platform"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func millis(ms float64) time.Duration { return time.Duration(math.Round(ms * 1e6)) }

const docsRequestID = "6d68ca91-49c9-448d-89b8-7ca3e6dc66aa"

// Every recorded batch, from Lambda's documentation and from the emulator,
// parses into the values its events hold.
func TestParseRecordedBatches(t *testing.T) {
	tests := []struct {
		file string
		logs bool
		want platform.Batch
	}{
		{file: "docs/report.json", want: platform.Batch{Reports: []platform.Report{{
			Time: at("2022-10-12T00:01:15.000Z"), RequestID: docsRequestID,
			Duration: millis(693.92), BilledDuration: 694 * time.Millisecond,
			MemorySize: 128 << 20, MaxMemoryUsed: 84 << 20, InitDuration: millis(397.68),
		}}}},
		{file: "docs/runtimeDone.json", want: platform.Batch{RuntimeDones: []platform.RuntimeDone{{
			Time: at("2022-10-12T00:01:15.000Z"), RequestID: docsRequestID, Status: platform.StatusSuccess,
			Duration: 140 * time.Millisecond, ProducedBytes: 16,
			Spans:       []platform.Span{{Name: platform.SpanResponseLatency, Start: at("2022-08-02T12:01:23.521Z"), Duration: millis(23.02)}},
			TraceHeader: "Root=1-62e900b2-710d76f009d6e7785905449a;Parent=0efbd19962d95b05;Sampled=1",
		}}}},
		{file: "docs/initReport.json", want: platform.Batch{InitReports: []platform.InitReport{{
			Time: at("2022-10-12T00:01:15.000Z"), InitializationType: "on-demand", Phase: "init",
			Status: platform.StatusSuccess, Duration: millis(125.33),
			Spans: []platform.Span{{Name: "someTimeSpan", Start: at("2022-06-02T12:02:33.913Z"), Duration: millis(90.1)}},
		}}}},
		{file: "docs/restoreReport.json", want: platform.Batch{RestoreReports: []platform.RestoreReport{{
			Time: at("2022-10-12T00:00:15.064Z"), Status: platform.StatusSuccess, Duration: millis(15.19),
			Spans: []platform.Span{{Name: "someTimeSpan", Start: at("2022-08-02T12:01:23.521Z"), Duration: 30 * time.Millisecond}},
		}}}},
		{file: "docs/others.json", want: platform.Batch{Skipped: 11, LambdaDropped: 123}},
		{file: "docs/others.json", logs: true, want: platform.Batch{Skipped: 8, LambdaDropped: 123, Logs: []platform.Log{
			{Time: at("2022-10-12T00:03:50.000Z"), Type: platform.TypeFunction, Record: []byte(`"[INFO] Hello world, I am a function!"`)},
			{Time: at("2022-10-12T00:03:50.000Z"), Type: platform.TypeFunction, Record: []byte(`{
      "timestamp": "2022-10-12T00:03:50.000Z",
      "level": "INFO",
      "requestId": "79b4f56e-95b1-4643-9700-2807f4e68189",
      "message": "Hello world, I am a function!"
    }`)},
			{Time: at("2022-10-12T00:03:50.000Z"), Type: platform.TypeExtension, Record: []byte(`"[INFO] Hello world, I am an extension!"`)},
		}}},
		{file: "emulator/managed-init-and-two-invocations.json", want: platform.Batch{
			Skipped: 6,
			InitReports: []platform.InitReport{{
				Time: at("2026-12-07T02:12:27.558Z"), InitializationType: "lambda-managed-instances", Phase: "init",
				Status: platform.StatusSuccess, Duration: millis(77.541),
			}},
			Reports: []platform.Report{
				{
					Time: at("2026-12-07T02:12:27.566Z"), RequestID: "1d3be4d4-86eb-4c89-aef1-f7ee1fd09786",
					Status: platform.StatusSuccess, Duration: millis(6.837),
					Spans: []platform.Span{
						{Name: platform.SpanResponseLatency, Start: at("2026-12-07T02:12:27.559Z"), Duration: millis(6.164)},
						{Name: platform.SpanResponseDuration, Start: at("2026-12-07T02:12:27.565Z"), Duration: millis(0.116)},
					},
				},
				{
					Time: at("2026-12-07T02:12:27.577Z"), RequestID: "a6f431a0-a684-4978-99ea-ab4f61fa43f2",
					Status: platform.StatusError, ErrorType: "Runtime.Unknown", Duration: millis(6.694),
					Spans: []platform.Span{
						{Name: platform.SpanResponseLatency, Start: at("2026-12-07T02:12:27.571Z"), Duration: millis(6.48)},
						{Name: platform.SpanResponseDuration, Start: at("2026-12-07T02:12:27.577Z"), Duration: millis(0.08)},
					},
				},
			},
		}},
		{file: "emulator/managed-function-logs.json", want: platform.Batch{Skipped: 2, Reports: []platform.Report{{
			Time: at("2026-12-07T02:12:27.588Z"), RequestID: "a112c4dd-7fe3-4c01-9f0f-3cf9b89befc0",
			Status: platform.StatusSuccess, Duration: millis(6.568),
			Spans: []platform.Span{
				{Name: platform.SpanResponseLatency, Start: at("2026-12-07T02:12:27.581Z"), Duration: millis(5.995)},
				{Name: platform.SpanResponseDuration, Start: at("2026-12-07T02:12:27.587Z"), Duration: millis(0.027)},
			},
		}}}},
	}
	for _, tt := range tests {
		name := tt.file
		if tt.logs {
			name += "/with logs"
		}
		t.Run(name, func(t *testing.T) {
			got, err := platform.ParseBatch(readBatch(t, tt.file), tt.logs)
			require.NoError(t, err)
			for i := range got.Logs {
				// Compare the records as JSON text, the way they were sent.
				require.JSONEq(t, string(tt.want.Logs[i].Record), string(got.Logs[i].Record))
				got.Logs[i].Record = tt.want.Logs[i].Record
			}
			require.Equal(t, tt.want, got)
		})
	}
}

// The documentation's examples as printed: two are not JSON at all and
// lose their batch; the third keeps its event without the span whose start
// is not a time.
func TestParseDocumentationMisprints(t *testing.T) {
	for _, file := range []string{"docs/malformed/report-trailing-comma.json", "docs/malformed/initRuntimeDone-missing-comma.json"} {
		t.Run(file, func(t *testing.T) {
			got, err := platform.ParseBatch(readBatch(t, file), false)
			require.ErrorIs(t, err, platform.ErrMalformed)
			require.Equal(t, platform.Batch{Malformed: 1}, got)
		})
	}
	t.Run("runtimeDone-span-start", func(t *testing.T) {
		got, err := platform.ParseBatch(readBatch(t, "docs/malformed/runtimeDone-span-start.json"), false)
		require.ErrorIs(t, err, platform.ErrMalformed)
		var ee *platform.EventError
		require.ErrorAs(t, err, &ee)
		require.Equal(t, platform.EventError{Index: 0, Type: platform.TypeRuntimeDone, Kept: true, Err: ee.Err}, *ee)
		require.ErrorContains(t, err, `spans[0] someTimeSpan: start`)
		require.Equal(t, 1, got.Incomplete)
		require.Zero(t, got.Malformed)
		require.Len(t, got.RuntimeDones, 1)
		require.Empty(t, got.RuntimeDones[0].Spans)
		require.Equal(t, 140*time.Millisecond, got.RuntimeDones[0].Duration)
	})
}

// Events that break the schema are left out with an error naming them;
// the rest of their batch is kept.
func TestParseMalformedEvents(t *testing.T) {
	const good = `{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"ok","metrics":{"durationMs":1}}}`
	tests := []struct {
		name  string
		event string
		want  string
	}{
		{name: "not an object", event: `42`, want: "cannot unmarshal number"},
		{name: "no type", event: `{"time":"2024-01-01T00:00:00Z","record":{}}`, want: "no type"},
		{name: "bad time", event: `{"time":"yesterday","type":"platform.report","record":{}}`, want: "time:"},
		{name: "no record", event: `{"time":"2024-01-01T00:00:00Z","type":"platform.report"}`, want: "no record"},
		{name: "null record", event: `{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":null}`, want: "no record"},
		{name: "report without request id", event: `{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"metrics":{"durationMs":1}}}`, want: "no requestId"},
		{name: "report without metrics", event: `{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r"}}`, want: "no metrics.durationMs"},
		{name: "negative duration", event: `{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":-1}}}`, want: "metrics.durationMs: -1 ms is out of range"},
		{name: "duration beyond time.Duration", event: `{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1e300}}}`, want: "out of range"},
		{name: "memory beyond int64", event: `{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1,"memorySizeMB":1e20}}}`, want: "metrics.memorySizeMB"},
		{name: "duration of the wrong type", event: `{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":"1"}}}`, want: "cannot unmarshal string"},
		{name: "runtimeDone without status", event: `{"time":"2024-01-01T00:00:00Z","type":"platform.runtimeDone","record":{"requestId":"r"}}`, want: "no status"},
		{name: "produced bytes out of range", event: `{"time":"2024-01-01T00:00:00Z","type":"platform.runtimeDone","record":{"requestId":"r","status":"success","metrics":{"durationMs":1,"producedBytes":-5}}}`, want: "producedBytes"},
		{name: "initReport without metrics", event: `{"time":"2024-01-01T00:00:00Z","type":"platform.initReport","record":{"initializationType":"on-demand"}}`, want: "no metrics.durationMs"},
		{name: "restoreReport without status", event: `{"time":"2024-01-01T00:00:00Z","type":"platform.restoreReport","record":{"metrics":{"durationMs":1}}}`, want: "no status"},
		{name: "spans not a list", event: `{"time":"2024-01-01T00:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1},"spans":5}}`, want: "cannot unmarshal number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := platform.ParseBatch([]byte(`[`+good+`,`+tt.event+`]`), false)
			require.ErrorIs(t, err, platform.ErrMalformed)
			var ee *platform.EventError
			require.ErrorAs(t, err, &ee)
			require.Equal(t, 1, ee.Index)
			require.False(t, ee.Kept)
			require.ErrorContains(t, err, tt.want)
			require.Equal(t, 1, got.Malformed)
			require.Len(t, got.Reports, 1, "the good event is kept")
			require.Equal(t, "ok", got.Reports[0].RequestID)
		})
	}
}

// What is not a batch at all fails whole.
func TestParseNotABatch(t *testing.T) {
	for _, body := range []string{``, `{}`, `"text"`, `[`, `null x`} {
		t.Run(body, func(t *testing.T) {
			got, err := platform.ParseBatch([]byte(body), false)
			require.ErrorIs(t, err, platform.ErrMalformed)
			var ee *platform.EventError
			require.False(t, errors.As(err, &ee))
			require.Equal(t, platform.Batch{Malformed: 1}, got)
		})
	}
	got, err := platform.ParseBatch([]byte(`null`), false)
	require.NoError(t, err, "JSON null is an empty batch")
	require.Zero(t, got.Len())
}

// Fields the schema may add later, and types it may add, are ignored.
func TestParseToleratesWhatItDoesNotKnow(t *testing.T) {
	body := `[
	 {"time":"2024-01-01T00:00:00Z","type":"platform.somethingNew","record":{"a":1}},
	 {"time":"2024-01-01T00:00:00Z","type":"platform.report","extra":true,
	  "record":{"requestId":"r","status":"timeout","errorType":"Sandbox.Timedout","newField":[1,2],
	   "metrics":{"durationMs":3000,"billedDurationMs":3000,"memorySizeMB":128,"maxMemoryUsedMB":128,"cpuMs":7}}}]`
	got, err := platform.ParseBatch([]byte(body), false)
	require.NoError(t, err)
	require.Equal(t, 1, got.Skipped)
	require.Equal(t, []platform.Report{{
		Time: at("2024-01-01T00:00:00Z"), RequestID: "r", Status: platform.StatusTimeout, ErrorType: "Sandbox.Timedout",
		Duration: 3 * time.Second, BilledDuration: 3 * time.Second, MemorySize: 128 << 20, MaxMemoryUsed: 128 << 20,
	}}, got.Reports)
}

// A runtimeDone without metrics has an unknown size, not an empty one.
func TestParseRuntimeDoneWithoutMetrics(t *testing.T) {
	got, err := platform.ParseBatch([]byte(`[{"time":"2024-01-01T00:00:00Z","type":"platform.runtimeDone",
	 "record":{"requestId":"r","status":"failure","errorType":"Runtime.OutOfMemory"}}]`), false)
	require.NoError(t, err)
	require.Equal(t, []platform.RuntimeDone{{
		Time: at("2024-01-01T00:00:00Z"), RequestID: "r", Status: platform.StatusFailure,
		ErrorType: platform.ErrorTypeOutOfMemory, ProducedBytes: -1,
	}}, got.RuntimeDones)
	span, ok := got.RuntimeDones[0].Span(platform.SpanResponseLatency)
	require.False(t, ok)
	require.Zero(t, span)
}
