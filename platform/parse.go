package platform

import (
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
	// LambdaDropped counts the events Lambda says, in platform.logsDropped
	// events (counted in Skipped), it dropped instead of delivering: it
	// drops a batch when the listener is still busy with the one before.
	LambdaDropped int
}

// Len returns the number of events kept.
func (b *Batch) Len() int {
	return len(b.Reports) + len(b.RuntimeDones) + len(b.InitReports) + len(b.RestoreReports) + len(b.Logs)
}

// ParseBatch reads a Telemetry API delivery: a JSON array of events
// {"time","type","record"} of any schema version from 2022-07-01 on. The
// four report types become typed values; log lines are kept only when
// keepLogs is set; every other type is counted in Skipped, and unknown
// fields are ignored. It reads the JSON as encoding/json would read it into
// the schema's types (keys are matched case-insensitively; a null leaves a
// field unset), in one pass, and keeps no reference to data.
//
// A body that is not a JSON array returns an error wrapping
// [ErrMalformed] and an empty Batch. Events that cannot be read (a
// missing request id, a duration of the wrong type or out of range, a time
// that is not RFC 3339) are left out and returned as [*EventError]s,
// joined, next to the events that could be read. A span that cannot be
// read is left out of its event, which is kept, and reported the same way.
func ParseBatch(data []byte, keepLogs bool) (Batch, error) {
	var b Batch
	d := newDecoder(data)
	defer d.release()
	var errs []error
	var err error
	switch c := d.ws(); c {
	case '[':
		err = d.array(func(i int) error {
			typ, kept, err := b.add(&d, keepLogs)
			if err == nil {
				return nil
			}
			if _, ok := err.(*syntaxError); ok {
				return err
			}
			if kept {
				b.Incomplete++
			} else {
				b.Malformed++
			}
			errs = append(errs, &EventError{Index: i, Type: typ, Kept: kept, Err: err})
			return nil
		})
	case 'n':
		err = d.literal("null") // JSON null: no events
	case 0:
		err = d.syntax("unexpected end of JSON input")
	default:
		if _, err = d.skip(); err == nil {
			err = &typeError{got: kind(c), want: "a batch (a JSON array)"}
		}
	}
	if err == nil && d.ws() != 0 {
		err = d.syntax("invalid character after the batch")
	}
	if err != nil {
		return Batch{Malformed: 1}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return b, errors.Join(errs...)
}

// envelope is an event's envelope as read: the raw text of its time and
// type, the raw JSON of its record.
type envelope struct {
	time, typ            []byte
	timePlain, typePlain bool
	record               []byte
}

// add reads one event into b and returns its type. An event with an
// error is left out, unless only some of its spans were bad: then it is
// kept without them. A syntax error is returned as it is: the delivery is
// lost.
func (b *Batch) add(d *decoder, keepLogs bool) (typ string, kept bool, err error) {
	var ev envelope
	switch c := d.ws(); c {
	case '{':
	case 'n':
		if err := d.literal("null"); err != nil {
			return "", false, err
		}
		return "", false, errors.New("no type")
	default:
		if _, err := d.skip(); err != nil {
			return "", false, err
		}
		return "", false, &typeError{got: kind(c), want: "an event (a JSON object)"}
	}
	err = d.object(func(key []byte) error {
		switch {
		case is(key, "time"):
			raw, plain, null, err := d.strRaw("time")
			if err == nil && !null {
				ev.time, ev.timePlain = raw, plain
			}
			return err
		case is(key, "type"):
			raw, plain, null, err := d.strRaw("type")
			if err == nil && !null {
				ev.typ, ev.typePlain = raw, plain
			}
			return err
		case is(key, "record"):
			raw, err := d.skip()
			ev.record = raw
			return err
		}
		_, err := d.skip()
		return err
	})
	if err != nil {
		return "", false, err
	}
	typ = text(ev.typ, ev.typePlain)
	switch typ {
	case TypeReport, TypeRuntimeDone, TypeInitReport, TypeRestoreReport:
	case TypeFunction, TypeExtension:
		if !keepLogs {
			b.Skipped++
			return typ, false, nil
		}
	case "":
		return "", false, errors.New("no type")
	case TypeLogsDropped:
		b.Skipped++
		b.LambdaDropped += droppedRecords(ev.record)
		return typ, false, nil
	default:
		b.Skipped++
		return typ, false, nil
	}
	at, err := parseTime(ev.time, ev.timePlain)
	if err != nil {
		return typ, false, fmt.Errorf("time: %w", err)
	}
	if len(ev.record) == 0 || string(ev.record) == "null" {
		return typ, false, errors.New("no record")
	}
	rd := decoder{data: ev.record, spans: d.spans, lastID: d.lastID}
	defer func() { d.spans, d.lastID = rd.spans, rd.lastID }()
	switch typ {
	case TypeReport:
		var r Report
		if r, kept, err = parseReport(at, &rd); kept {
			b.Reports = append(b.Reports, r)
		}
	case TypeRuntimeDone:
		var r RuntimeDone
		if r, kept, err = parseRuntimeDone(at, &rd); kept {
			b.RuntimeDones = append(b.RuntimeDones, r)
		}
	case TypeInitReport:
		var r InitReport
		if r, kept, err = parseInitReport(at, &rd); kept {
			b.InitReports = append(b.InitReports, r)
		}
	case TypeRestoreReport:
		var r RestoreReport
		if r, kept, err = parseRestoreReport(at, &rd); kept {
			b.RestoreReports = append(b.RestoreReports, r)
		}
	default:
		b.Logs = append(b.Logs, Log{Time: at, Type: typ, Record: append([]byte(nil), ev.record...)})
		kept = true
	}
	return typ, kept, err
}

// droppedRecords reads the droppedRecords of a platform.logsDropped record,
// 0 when it cannot: the event only informs, it is never an error.
func droppedRecords(record []byte) int {
	d := decoder{data: record}
	var n number
	if c := d.ws(); c != '{' {
		return 0
	}
	err := d.object(func(key []byte) error {
		if is(key, "droppedRecords") {
			return d.num(&n.v, &n.set, "droppedRecords")
		}
		_, err := d.skip()
		return err
	})
	if err != nil || !n.set || !(n.v >= 0 && n.v <= 1<<31) {
		return 0
	}
	return int(n.v)
}

// maxMS is the longest duration, in milliseconds, a time.Duration holds.
const maxMS = float64(math.MaxInt64 / int64(time.Millisecond))

// duration converts a field in milliseconds; a missing field is zero.
func duration(ms float64, set bool, field string) (time.Duration, error) {
	if !set {
		return 0, nil
	}
	if !(ms >= 0 && ms <= maxMS) {
		return 0, fmt.Errorf("%s: %v ms is out of range", field, ms)
	}
	return time.Duration(math.Round(ms * float64(time.Millisecond))), nil
}

// maxMB is the largest size, in MiB, an int64 of bytes holds.
const maxMB = float64(math.MaxInt64 >> 20)

// mebibytes converts a field in Lambda's MB (MiB) to bytes; a missing
// field is zero.
func mebibytes(mb float64, set bool, field string) (int64, error) {
	if !set {
		return 0, nil
	}
	if !(mb >= 0 && mb <= maxMB) {
		return 0, fmt.Errorf("%s: %v MB is out of range", field, mb)
	}
	return int64(math.Round(mb * (1 << 20))), nil
}
