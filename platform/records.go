package platform

import (
	"encoding/json"
	"errors"
	"time"
)

// The record parsers return the value, whether to keep it, and what could
// not be read. A value is kept when its required fields could be read,
// even if one of its spans could not.

// reportJSON is a platform.report record.
type reportJSON struct {
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
	Spans   []spanJSON   `json:"spans"`
	Tracing *tracingJSON `json:"tracing"`
}

func parseReport(at time.Time, data []byte) (Report, bool, error) {
	var raw reportJSON
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
	r.Duration, errs[0] = duration(m.DurationMs, "metrics.durationMs")
	r.BilledDuration, errs[1] = duration(m.BilledDurationMs, "metrics.billedDurationMs")
	r.MemorySize, errs[2] = mebibytes(m.MemorySizeMB, "metrics.memorySizeMB")
	r.MaxMemoryUsed, errs[3] = mebibytes(m.MaxMemoryUsedMB, "metrics.maxMemoryUsedMB")
	r.InitDuration, errs[4] = duration(m.InitDurationMs, "metrics.initDurationMs")
	r.RestoreDuration, errs[5] = duration(m.RestoreDurationMs, "metrics.restoreDurationMs")
	if err := errors.Join(errs[:]...); err != nil {
		return Report{}, false, err
	}
	var err error
	r.Spans, err = parseSpans(raw.Spans)
	return r, true, err
}

// runtimeDoneJSON is a platform.runtimeDone record.
type runtimeDoneJSON struct {
	RequestID string `json:"requestId"`
	Status    Status `json:"status"`
	ErrorType string `json:"errorType"`
	Metrics   *struct {
		DurationMs    *float64 `json:"durationMs"`
		ProducedBytes *float64 `json:"producedBytes"`
	} `json:"metrics"`
	Spans   []spanJSON   `json:"spans"`
	Tracing *tracingJSON `json:"tracing"`
}

// maxBytes bounds producedBytes: more than Lambda's largest response
// (streamed responses go up to 200 MB) by far, and exact in a float64.
const maxBytes = 1 << 52

func parseRuntimeDone(at time.Time, data []byte) (RuntimeDone, bool, error) {
	var raw runtimeDoneJSON
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
		if r.Duration, err = duration(m.DurationMs, "metrics.durationMs"); err != nil {
			return RuntimeDone{}, false, err
		}
		if b := m.ProducedBytes; b != nil {
			if !(*b >= 0 && *b <= maxBytes) {
				return RuntimeDone{}, false, errors.New("metrics.producedBytes is out of range")
			}
			r.ProducedBytes = int64(*b)
		}
	}
	var err error
	r.Spans, err = parseSpans(raw.Spans)
	return r, true, err
}

// initReportJSON is a platform.initReport record.
type initReportJSON struct {
	InitializationType string `json:"initializationType"`
	Phase              string `json:"phase"`
	Status             Status `json:"status"`
	ErrorType          string `json:"errorType"`
	Metrics            *struct {
		DurationMs *float64 `json:"durationMs"`
	} `json:"metrics"`
	Spans []spanJSON `json:"spans"`
}

func parseInitReport(at time.Time, data []byte) (InitReport, bool, error) {
	var raw initReportJSON
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
	if r.Duration, err = duration(raw.Metrics.DurationMs, "metrics.durationMs"); err != nil {
		return InitReport{}, false, err
	}
	r.Spans, err = parseSpans(raw.Spans)
	return r, true, err
}

// restoreReportJSON is a platform.restoreReport record.
type restoreReportJSON struct {
	Status    Status `json:"status"`
	ErrorType string `json:"errorType"`
	Metrics   *struct {
		DurationMs *float64 `json:"durationMs"`
	} `json:"metrics"`
	Spans []spanJSON `json:"spans"`
}

func parseRestoreReport(at time.Time, data []byte) (RestoreReport, bool, error) {
	var raw restoreReportJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return RestoreReport{}, false, err
	}
	if raw.Status == "" {
		return RestoreReport{}, false, errors.New("no status")
	}
	r := RestoreReport{Time: at, Status: raw.Status, ErrorType: raw.ErrorType}
	if raw.Metrics != nil {
		var err error
		if r.Duration, err = duration(raw.Metrics.DurationMs, "metrics.durationMs"); err != nil {
			return RestoreReport{}, false, err
		}
	}
	var err error
	r.Spans, err = parseSpans(raw.Spans)
	return r, true, err
}
