package platform

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrMalformed is wrapped by every error about a batch, or an event in a
// batch, that does not follow the Telemetry API schema.
var ErrMalformed = errors.New("malformed Telemetry API batch")

// EventError reports one event of a batch that could not be read; the
// other events of the batch are kept.
type EventError struct {
	// Index is the event's position in the batch.
	Index int
	// Type is the event's type, if it could be read.
	Type string
	// Kept reports that the event was kept without a span that could not
	// be read.
	Kept bool
	Err  error
}

func (e *EventError) Error() string {
	return fmt.Sprintf("telemetry event %d (%s): %v", e.Index, e.Type, e.Err)
}

// Unwrap returns the cause and [ErrMalformed].
func (e *EventError) Unwrap() []error { return []error{ErrMalformed, e.Err} }

// Batch is what one Telemetry API delivery held, by type.
type Batch struct {
	Reports        []Report
	RuntimeDones   []RuntimeDone
	InitReports    []InitReport
	RestoreReports []RestoreReport
	Logs           []Log
	// Skipped counts well-formed events of the types Lumen does not read
	// (platform.start, platform.extension, …) and log lines when no log
	// handler asked for them.
	Skipped int
	// Malformed counts the events left out because they could not be
	// read; a body that is not a JSON array counts as one.
	Malformed int
	// Incomplete counts the events kept without a span that could not be
	// read.
	Incomplete int
}

// Len returns the number of events kept.
func (b *Batch) Len() int {
	return len(b.Reports) + len(b.RuntimeDones) + len(b.InitReports) + len(b.RestoreReports) + len(b.Logs)
}

// ParseBatch reads a Telemetry API delivery: a JSON array of events
// {"time","type","record"} of any schema version from 2022-07-01 on. The
// four report types become typed values; log lines are kept only when
// keepLogs is set; every other type is counted in Skipped, and unknown
// fields are ignored.
//
// A body that is not a JSON array returns an error wrapping
// [ErrMalformed] and an empty Batch. Events that cannot be read (a
// missing request id, a duration of the wrong type or out of range, a time
// that is not RFC 3339) are left out and returned as [*EventError]s,
// joined, next to the events that could be read. A span that cannot be
// read is left out of its event, which is kept, and reported the same way.
func ParseBatch(data []byte, keepLogs bool) (Batch, error) {
	var b Batch
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		b.Malformed = 1
		return b, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	var errs []error
	for i, item := range items {
		typ, kept, err := b.add(item, keepLogs)
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

// rawEvent is an event's envelope.
type rawEvent struct {
	Time   string          `json:"time"`
	Type   string          `json:"type"`
	Record json.RawMessage `json:"record"`
}

// add reads one event into b and returns its type. An event with an
// error is left out, unless only some of its spans were bad: then it is
// kept without them.
func (b *Batch) add(item json.RawMessage, keepLogs bool) (typ string, kept bool, err error) {
	var ev rawEvent
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
		if r, kept, err = parseReport(at, ev.Record); kept {
			b.Reports = append(b.Reports, r)
		}
	case TypeRuntimeDone:
		var r RuntimeDone
		if r, kept, err = parseRuntimeDone(at, ev.Record); kept {
			b.RuntimeDones = append(b.RuntimeDones, r)
		}
	case TypeInitReport:
		var r InitReport
		if r, kept, err = parseInitReport(at, ev.Record); kept {
			b.InitReports = append(b.InitReports, r)
		}
	case TypeRestoreReport:
		var r RestoreReport
		if r, kept, err = parseRestoreReport(at, ev.Record); kept {
			b.RestoreReports = append(b.RestoreReports, r)
		}
	default:
		b.Logs = append(b.Logs, Log{Time: at, Type: ev.Type, Record: append([]byte(nil), ev.Record...)})
		kept = true
	}
	return ev.Type, kept, err
}

// maxMS is the longest duration, in milliseconds, a time.Duration holds.
const maxMS = float64(math.MaxInt64 / int64(time.Millisecond))

// duration converts a field in milliseconds; a missing field is zero.
func duration(ms *float64, field string) (time.Duration, error) {
	if ms == nil {
		return 0, nil
	}
	if !(*ms >= 0 && *ms <= maxMS) {
		return 0, fmt.Errorf("%s: %v ms is out of range", field, *ms)
	}
	return time.Duration(math.Round(*ms * float64(time.Millisecond))), nil
}

// maxMB is the largest size, in MiB, an int64 of bytes holds.
const maxMB = float64(math.MaxInt64 >> 20)

// mebibytes converts a field in Lambda's MB (MiB) to bytes; a missing
// field is zero.
func mebibytes(mb *float64, field string) (int64, error) {
	if mb == nil {
		return 0, nil
	}
	if !(*mb >= 0 && *mb <= maxMB) {
		return 0, fmt.Errorf("%s: %v MB is out of range", field, *mb)
	}
	return int64(math.Round(*mb * (1 << 20))), nil
}

// spanJSON is a Span as Lambda writes it.
type spanJSON struct {
	Name       string   `json:"name"`
	Start      string   `json:"start"`
	DurationMs *float64 `json:"durationMs"`
}

// parseSpans reads a spans list. A span that cannot be read is left out
// and reported; the event keeps the others.
func parseSpans(raw []spanJSON) ([]Span, error) {
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
		d, err := duration(s.DurationMs, "durationMs")
		if err != nil {
			errs = append(errs, fmt.Errorf("spans[%d] %s: %w", i, s.Name, err))
			continue
		}
		out = append(out, Span{Name: s.Name, Start: start, Duration: d})
	}
	return out, errors.Join(errs...)
}

// tracingJSON is a TraceContext.
type tracingJSON struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

func (t *tracingJSON) header() string {
	if t == nil {
		return ""
	}
	return t.Value
}
