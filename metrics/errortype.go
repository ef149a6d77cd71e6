package metrics

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Error type label values with a fixed meaning.
const (
	// ErrorTypeOther is the error_type of every error whose type is neither
	// known nor among the first distinct types admitted (see
	// [WithMaxErrorTypes]), and of types that are not valid label values
	// (invalid UTF-8, longer than [MaxErrorTypeLength] bytes).
	ErrorTypeOther = "other"
	// ErrorTypeTimeout is the error_type recorded for a timed-out invocation
	// that carries no error type of its own; it is the errorType Lambda
	// reports for timeouts.
	ErrorTypeTimeout = "Sandbox.Timedout"
)

const (
	// DefaultMaxErrorTypes is how many distinct error types outside
	// [KnownErrorTypes] a Recorder admits as their own error_type value
	// before it records further new ones as [ErrorTypeOther].
	DefaultMaxErrorTypes = 20
	// MaxErrorTypeLength is the longest error type, in bytes, kept as a
	// label value; longer ones are recorded as [ErrorTypeOther].
	MaxErrorTypeLength = 128
)

// knownErrorTypes are the errorType values the Lambda platform, Lumen's
// runtime and aws-lambda-go's reflection-based naming commonly produce. They
// are always recorded under their own name and do not count toward the
// admission limit.
var knownErrorTypes = []string{
	// Lambda platform and runtime errors.
	"Function.ResponseSizeTooLarge",
	"Runtime.ExitError",
	"Runtime.HandlerNotFound",
	"Runtime.InvalidEntrypoint",
	"Runtime.MarshalError",
	"Runtime.OutOfMemory",
	"Runtime.UnmarshalError",
	"Runtime.Unknown",
	ErrorTypeTimeout,
	// Go type names as aws-lambda-go reports them (reflect, pointer elided).
	"DNSError",
	"OpError",
	"PathError",
	"SyntaxError",
	"TypeAssertionError",
	"UnmarshalTypeError",
	"boundsError",
	"deadlineExceededError",
	"errorString",
	"joinError",
	"string",
	"wrapError",
	"wrapErrors",
}

// KnownErrorTypes returns the error types always recorded under their own
// error_type value, in a fresh slice. [WithErrorTypes] adds to them.
func KnownErrorTypes() []string { return slices.Clone(knownErrorTypes) }

// errorSeries is one error_type value and its per-trigger counters, resolved
// on first use so that no zero series is exposed for an error type that
// never happened.
type errorSeries struct {
	label     string
	vec       *family
	byTrigger [numTriggers]atomic.Pointer[series]
}

func (s *errorSeries) counter(trigger int) *counter {
	if c := s.byTrigger[trigger].Load(); c != nil {
		return &c.c
	}
	c := s.vec.with(triggerNames[trigger], s.label)
	// A racing caller resolved the same series; either value is correct.
	s.byTrigger[trigger].CompareAndSwap(nil, c)
	return &c.c
}

// errorTypes bounds the error_type label: the known allow-list, then the
// first max distinct others, then ErrorTypeOther. Lookups take no lock: the
// known map is immutable and the admitted map is copied on write, which
// happens at most max times in a process.
type errorTypes struct {
	vec      *family
	known    map[string]*errorSeries // immutable after newErrorTypes
	admitted atomic.Pointer[map[string]*errorSeries]
	full     atomic.Bool
	max      int
	mu       sync.Mutex // serialises admissions only
	other    *errorSeries
}

func newErrorTypes(vec *family, extra []string, maxOthers int) *errorTypes {
	e := &errorTypes{vec: vec, known: make(map[string]*errorSeries), max: maxOthers}
	e.other = &errorSeries{label: ErrorTypeOther, vec: vec}
	e.known[ErrorTypeOther] = e.other
	for _, t := range slices.Concat(knownErrorTypes, extra) {
		if _, dup := e.known[t]; !dup && admissible(t) {
			e.known[t] = &errorSeries{label: t, vec: vec}
		}
	}
	empty := make(map[string]*errorSeries)
	e.admitted.Store(&empty)
	e.full.Store(maxOthers <= 0)
	return e
}

// admissible reports whether t can be its own label value.
func admissible(t string) bool {
	return t != "" && len(t) <= MaxErrorTypeLength && utf8.ValidString(t)
}

// series returns the series errorType is recorded under. It does not
// allocate unless errorType is admitted now (at most max times per process).
func (e *errorTypes) series(errorType string) *errorSeries {
	if s, ok := e.known[errorType]; ok {
		return s
	}
	if s, ok := (*e.admitted.Load())[errorType]; ok {
		return s
	}
	if e.full.Load() || !admissible(errorType) {
		return e.other
	}
	return e.admit(errorType)
}

func (e *errorTypes) admit(errorType string) *errorSeries {
	e.mu.Lock()
	defer e.mu.Unlock()
	cur := *e.admitted.Load()
	if s, ok := cur[errorType]; ok {
		return s
	}
	if len(cur) >= e.max {
		e.full.Store(true)
		return e.other
	}
	next := make(map[string]*errorSeries, len(cur)+1)
	for k, v := range cur {
		next[k] = v
	}
	// Clone: errorType may share memory with a large buffer (a response body).
	label := strings.Clone(errorType)
	s := &errorSeries{label: label, vec: e.vec}
	next[label] = s
	e.admitted.Store(&next)
	if len(next) >= e.max {
		e.full.Store(true)
	}
	return s
}
