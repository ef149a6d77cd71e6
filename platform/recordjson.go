package platform

import (
	"fmt"
)

// fields are the fields a record type has, as bits.
type fields uint16

const (
	fRequestID fields = 1 << iota
	fStatus
	fErrorType
	fInitType
	fPhase
	fSpans
	fTracing
	// Metrics.
	fDuration
	fBilled
	fMemorySize
	fMaxMemory
	fInitDuration
	fRestoreDuration
	fProduced
)

// The fields of each record type.
const (
	reportFields = fRequestID | fStatus | fErrorType | fSpans | fTracing |
		fDuration | fBilled | fMemorySize | fMaxMemory | fInitDuration | fRestoreDuration
	runtimeDoneFields   = fRequestID | fStatus | fErrorType | fSpans | fTracing | fDuration | fProduced
	initReportFields    = fInitType | fPhase | fStatus | fErrorType | fSpans | fDuration
	restoreReportFields = fStatus | fErrorType | fSpans | fDuration
)

// number is a number field: its value and whether it was set.
type number struct {
	v   float64
	set bool
}

// recordJSON is what a record holds, of any type.
type recordJSON struct {
	requestID, errorType, initType, phase string
	status                                Status
	// hasMetrics reports a metrics object (not null).
	hasMetrics                                       bool
	duration, billed, memorySize, maxMemory, initDur number
	restoreDur, produced                             number
	spans                                            []spanJSON
	traceHeader                                      string
	tracingObject                                    bool
}

// spanJSON is a span as read.
type spanJSON struct {
	name       string
	start      []byte
	startPlain bool
	duration   number
}

// read reads a recordJSON with the fields f.
func (r *recordJSON) read(d *decoder, f fields) error {
	if d.ws() != '{' {
		c := d.ws()
		if _, err := d.skip(); err != nil {
			return err
		}
		return &typeError{got: kind(c), want: "a recordJSON (a JSON object)"}
	}
	return d.object(func(key []byte) error {
		switch {
		case f&fRequestID != 0 && is(key, "requestId"):
			return d.requestID(&r.requestID, "requestId")
		case f&fStatus != 0 && is(key, "status"):
			return d.str((*string)(&r.status), "status")
		case f&fErrorType != 0 && is(key, "errorType"):
			return d.str(&r.errorType, "errorType")
		case f&fInitType != 0 && is(key, "initializationType"):
			return d.str(&r.initType, "initializationType")
		case f&fPhase != 0 && is(key, "phase"):
			return d.str(&r.phase, "phase")
		case is(key, "metrics"):
			return r.readMetrics(d, f)
		case f&fSpans != 0 && is(key, "spans"):
			return r.readSpans(d)
		case f&fTracing != 0 && is(key, "tracing"):
			return r.readTracing(d)
		}
		_, err := d.skip()
		return err
	})
}

func (r *recordJSON) readMetrics(d *decoder, f fields) error {
	if null, err := d.null(); null || err != nil {
		if null {
			r.hasMetrics = false
			r.duration, r.billed, r.memorySize, r.maxMemory = number{}, number{}, number{}, number{}
			r.initDur, r.restoreDur, r.produced = number{}, number{}, number{}
		}
		return err
	}
	if got, err := d.skipNonObject(); err != nil {
		return err
	} else if got != "" {
		return &typeError{field: "metrics", got: got, want: "an object"}
	}
	r.hasMetrics = true
	return d.object(func(key []byte) error {
		var n *number
		var name string
		switch {
		case f&fDuration != 0 && is(key, "durationMs"):
			n, name = &r.duration, "metrics.durationMs"
		case f&fBilled != 0 && is(key, "billedDurationMs"):
			n, name = &r.billed, "metrics.billedDurationMs"
		case f&fMemorySize != 0 && is(key, "memorySizeMB"):
			n, name = &r.memorySize, "metrics.memorySizeMB"
		case f&fMaxMemory != 0 && is(key, "maxMemoryUsedMB"):
			n, name = &r.maxMemory, "metrics.maxMemoryUsedMB"
		case f&fInitDuration != 0 && is(key, "initDurationMs"):
			n, name = &r.initDur, "metrics.initDurationMs"
		case f&fRestoreDuration != 0 && is(key, "restoreDurationMs"):
			n, name = &r.restoreDur, "metrics.restoreDurationMs"
		case f&fProduced != 0 && is(key, "producedBytes"):
			n, name = &r.produced, "metrics.producedBytes"
		default:
			_, err := d.skip()
			return err
		}
		return d.num(&n.v, &n.set, name)
	})
}

func (r *recordJSON) readSpans(d *decoder) error {
	if null, err := d.null(); null || err != nil {
		r.spans = nil
		return err
	}
	if c := d.ws(); c != '[' {
		if _, err := d.skip(); err != nil {
			return err
		}
		return &typeError{field: "spans", got: kind(c), want: "an array"}
	}
	r.spans = d.spans[:0]
	defer func() { d.spans = r.spans[:0] }() // keep what it grew to
	return d.array(func(i int) error {
		r.spans = append(r.spans, spanJSON{})
		s := &r.spans[len(r.spans)-1]
		if null, err := d.null(); null || err != nil {
			return err
		}
		if got, err := d.skipNonObject(); err != nil {
			return err
		} else if got != "" {
			return &typeError{field: fmt.Sprintf("spans[%d]", i), got: got, want: "an object"}
		}
		return d.object(func(key []byte) error {
			switch {
			case is(key, "name"):
				return d.str(&s.name, "spans.name")
			case is(key, "start"):
				raw, plain, null, err := d.strRaw("spans.start")
				if err == nil && !null {
					s.start, s.startPlain = raw, plain
				}
				return err
			case is(key, "durationMs"):
				return d.num(&s.duration.v, &s.duration.set, "spans.durationMs")
			}
			_, err := d.skip()
			return err
		})
	})
}

// readTracing reads the trace context; only its value is kept.
func (r *recordJSON) readTracing(d *decoder) error {
	if null, err := d.null(); null || err != nil {
		r.tracingObject, r.traceHeader = false, ""
		return err
	}
	if got, err := d.skipNonObject(); err != nil {
		return err
	} else if got != "" {
		return &typeError{field: "tracing", got: got, want: "an object"}
	}
	r.tracingObject = true
	var typ string
	return d.object(func(key []byte) error {
		switch {
		case is(key, "type"):
			return d.str(&typ, "tracing.type")
		case is(key, "value"):
			return d.str(&r.traceHeader, "tracing.value")
		}
		_, err := d.skip()
		return err
	})
}
