package platform

import (
	"errors"
	"fmt"
	"time"
)

// The record parsers return the value, whether to keep it, and what could
// not be read. A value is kept when its required fields could be read,
// even if one of its spans could not. A value of the wrong type in a field
// of the record's schema loses the record; fields outside it are ignored.

// parseSpans converts the spans read. A span that cannot be read is left
// out and reported; the event keeps the others.
func parseSpans(raw []spanJSON) ([]Span, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	out := make([]Span, 0, len(raw))
	var errs []error
	for i := range raw {
		s := &raw[i]
		if s.name == "" {
			errs = append(errs, fmt.Errorf("spans[%d]: no name", i))
			continue
		}
		start, err := parseTime(s.start, s.startPlain)
		if err != nil {
			errs = append(errs, fmt.Errorf("spans[%d] %s: start: %w", i, s.name, err))
			continue
		}
		d, err := duration(s.duration.v, s.duration.set, "durationMs")
		if err != nil {
			errs = append(errs, fmt.Errorf("spans[%d] %s: %w", i, s.name, err))
			continue
		}
		out = append(out, Span{Name: s.name, Start: start, Duration: d})
	}
	if len(out) == 0 {
		out = nil
	}
	return out, errors.Join(errs...)
}

func parseReport(at time.Time, d *decoder) (Report, bool, error) {
	var raw recordJSON
	if err := raw.read(d, reportFields); err != nil {
		return Report{}, false, err
	}
	if raw.requestID == "" {
		return Report{}, false, errors.New("no requestId")
	}
	if !raw.hasMetrics || !raw.duration.set {
		return Report{}, false, errors.New("no metrics.durationMs")
	}
	r := Report{
		Time: at, RequestID: raw.requestID, Status: raw.status, ErrorType: raw.errorType,
		TraceHeader: raw.traceHeader,
	}
	var errs [6]error
	r.Duration, errs[0] = duration(raw.duration.v, raw.duration.set, "metrics.durationMs")
	r.BilledDuration, errs[1] = duration(raw.billed.v, raw.billed.set, "metrics.billedDurationMs")
	r.MemorySize, errs[2] = mebibytes(raw.memorySize.v, raw.memorySize.set, "metrics.memorySizeMB")
	r.MaxMemoryUsed, errs[3] = mebibytes(raw.maxMemory.v, raw.maxMemory.set, "metrics.maxMemoryUsedMB")
	r.InitDuration, errs[4] = duration(raw.initDur.v, raw.initDur.set, "metrics.initDurationMs")
	r.RestoreDuration, errs[5] = duration(raw.restoreDur.v, raw.restoreDur.set, "metrics.restoreDurationMs")
	if err := errors.Join(errs[:]...); err != nil {
		return Report{}, false, err
	}
	var err error
	r.Spans, err = parseSpans(raw.spans)
	return r, true, err
}

// maxBytes bounds producedBytes: more than Lambda's largest response
// (streamed responses go up to 200 MB) by far, and exact in a float64.
const maxBytes = 1 << 52

func parseRuntimeDone(at time.Time, d *decoder) (RuntimeDone, bool, error) {
	var raw recordJSON
	if err := raw.read(d, runtimeDoneFields); err != nil {
		return RuntimeDone{}, false, err
	}
	if raw.requestID == "" {
		return RuntimeDone{}, false, errors.New("no requestId")
	}
	if raw.status == "" {
		return RuntimeDone{}, false, errors.New("no status")
	}
	r := RuntimeDone{
		Time: at, RequestID: raw.requestID, Status: raw.status, ErrorType: raw.errorType,
		ProducedBytes: -1, TraceHeader: raw.traceHeader,
	}
	if raw.hasMetrics {
		var err error
		if r.Duration, err = duration(raw.duration.v, raw.duration.set, "metrics.durationMs"); err != nil {
			return RuntimeDone{}, false, err
		}
		if b := raw.produced; b.set {
			if !(b.v >= 0 && b.v <= maxBytes) {
				return RuntimeDone{}, false, errors.New("metrics.producedBytes is out of range")
			}
			r.ProducedBytes = int64(b.v)
		}
	}
	var err error
	r.Spans, err = parseSpans(raw.spans)
	return r, true, err
}

func parseInitReport(at time.Time, d *decoder) (InitReport, bool, error) {
	var raw recordJSON
	if err := raw.read(d, initReportFields); err != nil {
		return InitReport{}, false, err
	}
	if !raw.hasMetrics || !raw.duration.set {
		return InitReport{}, false, errors.New("no metrics.durationMs")
	}
	r := InitReport{
		Time: at, InitializationType: raw.initType, Phase: raw.phase,
		Status: raw.status, ErrorType: raw.errorType,
	}
	var err error
	if r.Duration, err = duration(raw.duration.v, raw.duration.set, "metrics.durationMs"); err != nil {
		return InitReport{}, false, err
	}
	r.Spans, err = parseSpans(raw.spans)
	return r, true, err
}

func parseRestoreReport(at time.Time, d *decoder) (RestoreReport, bool, error) {
	var raw recordJSON
	if err := raw.read(d, restoreReportFields); err != nil {
		return RestoreReport{}, false, err
	}
	if raw.status == "" {
		return RestoreReport{}, false, errors.New("no status")
	}
	r := RestoreReport{Time: at, Status: raw.status, ErrorType: raw.errorType}
	if raw.hasMetrics {
		var err error
		if r.Duration, err = duration(raw.duration.v, raw.duration.set, "metrics.durationMs"); err != nil {
			return RestoreReport{}, false, err
		}
	}
	var err error
	r.Spans, err = parseSpans(raw.spans)
	return r, true, err
}
