package metrics

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/model"
)

// reservedLabels are the labels of the Recorder's own metrics.
var reservedLabels = []string{
	labelTrigger, labelErrorType, labelPhase, labelExporter, labelSignal, labelFlusher, labelStatus, labelInitType, "le",
}

// Environment variables that carry what some options set. New reads none of
// them: the caller (Lumen's telemetry package) does.
const (
	// EnvFunctionName is the function name Lambda sets, for
	// [WithFunctionName].
	//
	// Deprecated: New no longer reads it; pass its value to
	// [WithFunctionName].
	EnvFunctionName = "AWS_LAMBDA_FUNCTION_NAME"
	// EnvFunctionMemorySize is the function's memory in MB Lambda sets, for
	// [WithMaxMemory] (× 1,048,576).
	//
	// Deprecated: New no longer reads it; pass its value in bytes to
	// [WithMaxMemory].
	EnvFunctionMemorySize = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"
)

// ErrInvalidOption is wrapped by the error [New] returns when an option's
// value is unusable.
var ErrInvalidOption = errors.New("metrics: invalid option")

// Option configures [New]. Options are sealed: only this package creates
// them.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

var _ Option = optionFunc(nil)

// config is what the options build; newConfig holds the defaults.
type config struct {
	registerer        prometheus.Registerer // nil: Lumen's own registry
	registererSet     bool
	constLabels       prometheus.Labels
	durationBuckets   []float64
	sizeBuckets       []float64
	native            bool
	runtimeCollectors *bool // nil: on for Lumen's registry, off for the user's
	runtimeMaxAge     time.Duration
	errorTypes        []string
	maxErrorTypes     int
	triggers          []Trigger
	functionName      string
	maxMemory         int64
	pricePerRequest   float64
	pricePerGBSecond  float64
	onError           func(error)
	errs              []error
}

func newConfig() config {
	return config{
		durationBuckets:  DurationBuckets(),
		sizeBuckets:      SizeBuckets(),
		native:           true,
		maxErrorTypes:    DefaultMaxErrorTypes,
		triggers:         AllTriggers(),
		runtimeMaxAge:    DefaultRuntimeCollectorsMaxAge,
		pricePerRequest:  DefaultPricePerRequest,
		pricePerGBSecond: DefaultPricePerGBSecond(),
		onError:          logError,
	}
}

// logError is the default error handler.
func logError(err error) { slog.Warn("lumen metrics", "error", err) }

func (c *config) invalid(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidOption}, args...)...))
}

// WithRegisterer registers the collectors on reg instead of on a new
// registry owned by the Recorder. [Recorder.Gatherer] then returns reg if it
// also implements prometheus.Gatherer (a *prometheus.Registry does), and an
// empty Gatherer otherwise. The Go runtime and process collectors are not
// registered on reg unless [WithRuntimeCollectors](true) is given, since
// prometheus.DefaultRegisterer and most application registries have them.
// A nil reg is an error.
func WithRegisterer(reg prometheus.Registerer) Option {
	return optionFunc(func(c *config) {
		if reg == nil {
			c.invalid("nil Registerer")
			return
		}
		c.registerer, c.registererSet = reg, true
	})
}

// WithConstLabels adds labels with fixed values to every metric the Recorder
// registers, the Go and process collectors included, e.g. a deployment stage.
// Names must be classic Prometheus label names ([a-zA-Z_][a-zA-Z0-9_]*, not
// starting with "__") that do not collide with the
// metrics' own labels (faas_trigger, error_type, phase, exporter, signal,
// flusher, le). A faas_name given here wins over [WithFunctionName]. Several
// calls merge; a later value wins.
//
// There is deliberately no namespace option: the faas_* names are the
// semantic-convention contract dashboards query. Wrap the Registerer with
// prometheus.WrapRegistererWithPrefix if a prefix is really needed.
func WithConstLabels(labels prometheus.Labels) Option {
	return optionFunc(func(c *config) {
		for name := range labels {
			if !model.LegacyValidation.IsValidLabelName(name) || strings.HasPrefix(name, "__") ||
				slices.Contains(reservedLabels, name) {
				c.invalid("const label %q: not a valid label name, or one of %v", name, reservedLabels)
				return
			}
		}
		if c.constLabels == nil {
			c.constLabels = prometheus.Labels{}
		}
		maps.Copy(c.constLabels, labels)
	})
}

// WithDurationBuckets sets the classic bucket upper bounds, in seconds, of
// every duration histogram. The default is [DurationBuckets]; the bounds must
// be finite and strictly increasing.
func WithDurationBuckets(bounds ...float64) Option {
	return optionFunc(func(c *config) {
		if !validBuckets(bounds) {
			c.invalid("duration buckets %v: need finite, strictly increasing bounds", bounds)
			return
		}
		c.durationBuckets = cloneBuckets(bounds)
	})
}

// WithSizeBuckets sets the classic bucket upper bounds, in bytes, of the
// request and response size histograms. The default is [SizeBuckets].
func WithSizeBuckets(bounds ...float64) Option {
	return optionFunc(func(c *config) {
		if !validBuckets(bounds) {
			c.invalid("size buckets %v: need finite, strictly increasing bounds", bounds)
			return
		}
		c.sizeBuckets = cloneBuckets(bounds)
	})
}

// WithNativeHistograms turns native (sparse) histograms on or off for every
// histogram. On by default: each histogram then carries both its classic
// buckets and native buckets with [NativeHistogramBucketFactor], capped at
// [NativeHistogramMaxBucketNumber]. Native buckets only leave the process in
// the protobuf exposition format; text scrapes and the text-based exporters
// see the classic buckets alone.
func WithNativeHistograms(enabled bool) Option {
	return optionFunc(func(c *config) { c.native = enabled })
}

// WithRuntimeCollectors registers, or not, client_golang's Go runtime and
// process collectors (go_*, process_*). The default is on for the Recorder's
// own registry and off with [WithRegisterer]. If reg already has them, the
// existing ones are kept.
func WithRuntimeCollectors(enabled bool) Option {
	return optionFunc(func(c *config) { c.runtimeCollectors = &enabled })
}

// WithRuntimeCollectorsMaxAge sets how long the values of the Go runtime and
// process collectors are reused: gathers within maxAge of the one that read
// them repeat them, so that flushing after every invocation does not re-read
// /proc and the runtime's metrics each time. Their values are then up to
// maxAge old (process_cpu_seconds_total, process_resident_memory_bytes, …);
// Lumen's own metrics are always current. The same age bounds how often
// [Recorder.Visit] gathers the collectors that are not Lumen's instruments
// (these two, and the application's own registered through
// [Recorder.Registerer]): it repeats their last values in between, and
// [Recorder.VisitFresh] gathers them now. The default is
// [DefaultRuntimeCollectorsMaxAge]; 0 reads them on every gather and every
// Visit; a negative value is an error. The cache has no effect on runtime
// collectors the Registerer already had.
func WithRuntimeCollectorsMaxAge(maxAge time.Duration) Option {
	return optionFunc(func(c *config) {
		if maxAge < 0 {
			c.invalid("runtime collectors max age %v < 0", maxAge)
			return
		}
		c.runtimeMaxAge = maxAge
	})
}

// WithErrorTypes adds error types, such as the handler's own error type
// names, to the allow-list always recorded under their own error_type value
// (see [KnownErrorTypes]). Types that are empty, longer than
// [MaxErrorTypeLength] or not valid UTF-8 are an error.
func WithErrorTypes(types ...string) Option {
	return optionFunc(func(c *config) {
		for _, t := range types {
			if !admissible(t) {
				c.invalid("error type %q: need 1 to %d bytes of UTF-8", t, MaxErrorTypeLength)
				return
			}
		}
		c.errorTypes = append(c.errorTypes, types...)
	})
}

// WithMaxErrorTypes sets how many distinct error types outside the allow-list
// are recorded under their own error_type value; later new ones are recorded
// as [ErrorTypeOther]. The default is [DefaultMaxErrorTypes]; 0 records every
// unlisted type as "other".
func WithMaxErrorTypes(n int) Option {
	return optionFunc(func(c *config) {
		if n < 0 {
			c.invalid("max error types %d < 0", n)
			return
		}
		c.maxErrorTypes = n
	})
}

// WithTriggers sets the triggers whose counters (faas_invocations_total,
// faas_timeouts_total, faas_coldstarts_total) are created at zero by New.
// Zero-valued series let increase() see the first event and let PromQL
// arithmetic between these counters match label sets. The default is every
// trigger; a function with one event source passes just that one, to keep
// pushes small. Other triggers are still recorded when they occur.
func WithTriggers(triggers ...Trigger) Option {
	return optionFunc(func(c *config) {
		for _, t := range triggers {
			if int(t) >= numTriggers {
				c.invalid("trigger %d out of range", t)
				return
			}
		}
		c.triggers = slices.Clone(triggers)
	})
}

// WithFunctionName sets the faas_name label every metric carries (the
// OpenTelemetry faas.name resource attribute), which Lumen's dashboards use
// to tell functions apart: on Lambda, the value of AWS_LAMBDA_FUNCTION_NAME.
// The default, and an empty name, leave the label out. A faas_name given to
// [WithConstLabels] wins.
func WithFunctionName(name string) Option {
	return optionFunc(func(c *config) { c.functionName = name })
}

// WithMaxMemory sets faas_max_memory_bytes, the memory limit of the
// execution environment (the OpenTelemetry faas.max_memory resource
// attribute), against which dashboards plot process_resident_memory_bytes,
// and the memory the estimated cost of an invocation is computed with when
// the platform report does not give it: on Lambda,
// AWS_LAMBDA_FUNCTION_MEMORY_SIZE MB × 1,048,576. The default, 0, leaves
// the gauge out; a negative value is an error.
func WithMaxMemory(bytes int64) Option {
	return optionFunc(func(c *config) {
		if bytes < 0 {
			c.invalid("max memory %d < 0", bytes)
			return
		}
		c.maxMemory = bytes
	})
}

// WithErrorHandler sets where errors that no call can return go: the
// failures of gathering the other collectors for [Recorder.Visit]. The
// default logs them through log/slog at warning level. A nil handler
// ignores them.
func WithErrorHandler(handle func(error)) Option {
	return optionFunc(func(c *config) { c.onError = handle })
}

// resolve completes the config once every option is applied.
func (c *config) resolve() {
	if _, set := c.constLabels[labelFunctionName]; !set && c.functionName != "" {
		if c.constLabels == nil {
			c.constLabels = prometheus.Labels{}
		}
		c.constLabels[labelFunctionName] = c.functionName
	}
}

// validPrice reports whether p is a usable price in USD.
func validPrice(p float64) bool { return p >= 0 && !math.IsInf(p, 0) && !math.IsNaN(p) }
