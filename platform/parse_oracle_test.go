package platform

// The parser as it was before the hand-written decoder: encoding/json into
// the schema's types. It is the reference the decoder must agree with
// (parse_decoder_test.go), kept verbatim but for its names.

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"
)

func refParseBatch(data []byte, keepLogs bool) (Batch, error) {
	var b Batch
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		b.Malformed = 1
		return b, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	var errs []error
	for i, item := range items {
		typ, kept, err := refAdd(&b, item, keepLogs)
		if err == nil {
			continue
		}
		if kept {
			b.Incomplete++
		} else {
			b.Malformed++
		}
		errs = append(errs, &EventError{Index: i, Type: typ, Kept: kept, Err: err})
	}
	return b, errors.Join(errs...)
}

// refRawEvent is an event's envelope.
type refRawEvent struct {
	Time   string          `json:"time"`
	Type   string          `json:"type"`
	Record json.RawMessage `json:"record"`
}

// add reads one event into b and returns its type. An event with an
// error is left out, unless only some of its spans were bad: then it is
// kept without them.
func refAdd(b *Batch, item json.RawMessage, keepLogs bool) (typ string, kept bool, err error) {
	var ev refRawEvent
	if err := json.Unmarshal(item, &ev); err != nil {
		return "", false, err
	}
	switch ev.Type {
	case TypeReport, TypeRuntimeDone, TypeInitReport, TypeRestoreReport:
	case TypeFunction, TypeExtension:
		if !keepLogs {
			b.Skipped++
			return ev.Type, false, nil
		}
	case "":
		return "", false, errors.New("no type")
	default:
		b.Skipped++
		return ev.Type, false, nil
	}
	at, err := time.Parse(time.RFC3339Nano, ev.Time)
	if err != nil {
		return ev.Type, false, fmt.Errorf("time: %w", err)
	}
	if len(ev.Record) == 0 || string(ev.Record) == "null" {
		return ev.Type, false, errors.New("no record")
	}
	switch ev.Type {
	case TypeReport:
		var r Report
		if r, kept, err = refParseReport(at, ev.Record); kept {
			b.Reports = append(b.Reports, r)
		}
	case TypeRuntimeDone:
		var r RuntimeDone
		if r, kept, err = refParseRuntimeDone(at, ev.Record); kept {
			b.RuntimeDones = append(b.RuntimeDones, r)
		}
	case TypeInitReport:
		var r InitReport
		if r, kept, err = refParseInitReport(at, ev.Record); kept {
			b.InitReports = append(b.InitReports, r)
		}
	case TypeRestoreReport:
		var r RestoreReport
		if r, kept, err = refParseRestoreReport(at, ev.Record); kept {
			b.RestoreReports = append(b.RestoreReports, r)
		}
	default:
		b.Logs = append(b.Logs, Log{Time: at, Type: ev.Type, Record: append([]byte(nil), ev.Record...)})
		kept = true
	}
	return ev.Type, kept, err
}

// maxMS is the longest duration, in milliseconds, a time.Duration holds.
const refMaxMS = float64(math.MaxInt64 / int64(time.Millisecond))

// duration converts a field in milliseconds; a missing field is zero.
func refDuration(ms *float64, field string) (time.Duration, error) {
	if ms == nil {
		return 0, nil
	}
	if !(*ms >= 0 && *ms <= refMaxMS) {
		return 0, fmt.Errorf("%s: %v ms is out of range", field, *ms)
	}
	return time.Duration(math.Round(*ms * float64(time.Millisecond))), nil
}

// maxMB is the largest size, in MiB, an int64 of bytes holds.
const refMaxMB = float64(math.MaxInt64 >> 20)

// mebibytes converts a field in Lambda's MB (MiB) to bytes; a missing
// field is zero.
func refMebibytes(mb *float64, field string) (int64, error) {
	if mb == nil {
		return 0, nil
	}
	if !(*mb >= 0 && *mb <= refMaxMB) {
		return 0, fmt.Errorf("%s: %v MB is out of range", field, *mb)
	}
	return int64(math.Round(*mb * (1 << 20))), nil
}

// refSpanJSON is a Span as Lambda writes it.
type refSpanJSON struct {
	Name       string   `json:"name"`
	Start      string   `json:"start"`
	DurationMs *float64 `json:"durationMs"`
}

// parseSpans reads a spans list. A span that cannot be read is left out
// and reported; the event keeps the others.
func refParseSpans(raw []refSpanJSON) ([]Span, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	out := make([]Span, 0, len(raw))
	var errs []error
	for i, s := range raw {
		if s.Name == "" {
			errs = append(errs, fmt.Errorf("spans[%d]: no name", i))
			continue
		}
		start, err := time.Parse(time.RFC3339Nano, s.Start)
		if err != nil {
			errs = append(errs, fmt.Errorf("spans[%d] %s: start: %w", i, s.Name, err))
			continue
		}
		d, err := refDuration(s.DurationMs, "durationMs")
		if err != nil {
			errs = append(errs, fmt.Errorf("spans[%d] %s: %w", i, s.Name, err))
			continue
		}
		out = append(out, Span{Name: s.Name, Start: start, Duration: d})
	}
	return out, errors.Join(errs...)
}

// refTracingJSON is a TraceContext.
type refTracingJSON struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

func (t *refTracingJSON) header() string {
	if t == nil {
		return ""
	}
	return t.Value
}

// refReportJSON is a platform.report record.
type refReportJSON struct {
	RequestID string `json:"requestId"`
	Status    Status `json:"status"`
	ErrorType string `json:"errorType"`
	Metrics   *struct {
		DurationMs        *float64 `json:"durationMs"`
		BilledDurationMs  *float64 `json:"billedDurationMs"`
		MemorySizeMB      *float64 `json:"memorySizeMB"`
		MaxMemoryUsedMB   *float64 `json:"maxMemoryUsedMB"`
		InitDurationMs    *float64 `json:"initDurationMs"`
		RestoreDurationMs *float64 `json:"restoreDurationMs"`
	} `json:"metrics"`
	Spans   []refSpanJSON   `json:"spans"`
	Tracing *refTracingJSON `json:"tracing"`
}

func refParseReport(at time.Time, data []byte) (Report, bool, error) {
	var raw refReportJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return Report{}, false, err
	}
	if raw.RequestID == "" {
		return Report{}, false, errors.New("no requestId")
	}
	m := raw.Metrics
	if m == nil || m.DurationMs == nil {
		return Report{}, false, errors.New("no metrics.durationMs")
	}
	r := Report{
		Time: at, RequestID: raw.RequestID, Status: raw.Status, ErrorType: raw.ErrorType,
		TraceHeader: raw.Tracing.header(),
	}
	var errs [6]error
	r.Duration, errs[0] = refDuration(m.DurationMs, "metrics.durationMs")
	r.BilledDuration, errs[1] = refDuration(m.BilledDurationMs, "metrics.billedDurationMs")
	r.MemorySize, errs[2] = refMebibytes(m.MemorySizeMB, "metrics.memorySizeMB")
	r.MaxMemoryUsed, errs[3] = refMebibytes(m.MaxMemoryUsedMB, "metrics.maxMemoryUsedMB")
	r.InitDuration, errs[4] = refDuration(m.InitDurationMs, "metrics.initDurationMs")
	r.RestoreDuration, errs[5] = refDuration(m.RestoreDurationMs, "metrics.restoreDurationMs")
	if err := errors.Join(errs[:]...); err != nil {
		return Report{}, false, err
	}
	var err error
	r.Spans, err = refParseSpans(raw.Spans)
	return r, true, err
}

// refRuntimeDoneJSON is a platform.runtimeDone record.
type refRuntimeDoneJSON struct {
	RequestID string `json:"requestId"`
	Status    Status `json:"status"`
	ErrorType string `json:"errorType"`
	Metrics   *struct {
		DurationMs    *float64 `json:"durationMs"`
		ProducedBytes *float64 `json:"producedBytes"`
	} `json:"metrics"`
	Spans   []refSpanJSON   `json:"spans"`
	Tracing *refTracingJSON `json:"tracing"`
}

// maxBytes bounds producedBytes: more than Lambda's largest response
// (streamed responses go up to 200 MB) by far, and exact in a float64.
const refMaxBytes = 1 << 52

func refParseRuntimeDone(at time.Time, data []byte) (RuntimeDone, bool, error) {
	var raw refRuntimeDoneJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return RuntimeDone{}, false, err
	}
	if raw.RequestID == "" {
		return RuntimeDone{}, false, errors.New("no requestId")
	}
	if raw.Status == "" {
		return RuntimeDone{}, false, errors.New("no status")
	}
	r := RuntimeDone{
		Time: at, RequestID: raw.RequestID, Status: raw.Status, ErrorType: raw.ErrorType,
		ProducedBytes: -1, TraceHeader: raw.Tracing.header(),
	}
	if m := raw.Metrics; m != nil {
		var err error
		if r.Duration, err = refDuration(m.DurationMs, "metrics.durationMs"); err != nil {
			return RuntimeDone{}, false, err
		}
		if b := m.ProducedBytes; b != nil {
			if !(*b >= 0 && *b <= refMaxBytes) {
				return RuntimeDone{}, false, errors.New("metrics.producedBytes is out of range")
			}
			r.ProducedBytes = int64(*b)
		}
	}
	var err error
	r.Spans, err = refParseSpans(raw.Spans)
	return r, true, err
}

// refInitReportJSON is a platform.initReport record.
type refInitReportJSON struct {
	InitializationType string `json:"initializationType"`
	Phase              string `json:"phase"`
	Status             Status `json:"status"`
	ErrorType          string `json:"errorType"`
	Metrics            *struct {
		DurationMs *float64 `json:"durationMs"`
	} `json:"metrics"`
	Spans []refSpanJSON `json:"spans"`
}

func refParseInitReport(at time.Time, data []byte) (InitReport, bool, error) {
	var raw refInitReportJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return InitReport{}, false, err
	}
	if raw.Metrics == nil || raw.Metrics.DurationMs == nil {
		return InitReport{}, false, errors.New("no metrics.durationMs")
	}
	r := InitReport{
		Time: at, InitializationType: raw.InitializationType, Phase: raw.Phase,
		Status: raw.Status, ErrorType: raw.ErrorType,
	}
	var err error
	if r.Duration, err = refDuration(raw.Metrics.DurationMs, "metrics.durationMs"); err != nil {
		return InitReport{}, false, err
	}
	r.Spans, err = refParseSpans(raw.Spans)
	return r, true, err
}

// refRestoreReportJSON is a platform.restoreReport record.
type refRestoreReportJSON struct {
	Status    Status `json:"status"`
	ErrorType string `json:"errorType"`
	Metrics   *struct {
		DurationMs *float64 `json:"durationMs"`
	} `json:"metrics"`
	Spans []refSpanJSON `json:"spans"`
}

func refParseRestoreReport(at time.Time, data []byte) (RestoreReport, bool, error) {
	var raw refRestoreReportJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return RestoreReport{}, false, err
	}
	if raw.Status == "" {
		return RestoreReport{}, false, errors.New("no status")
	}
	r := RestoreReport{Time: at, Status: raw.Status, ErrorType: raw.ErrorType}
	if raw.Metrics != nil {
		var err error
		if r.Duration, err = refDuration(raw.Metrics.DurationMs, "metrics.durationMs"); err != nil {
			return RestoreReport{}, false, err
		}
	}
	var err error
	r.Spans, err = refParseSpans(raw.Spans)
	return r, true, err
}
