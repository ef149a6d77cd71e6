package emf

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/lumen-rt/lumen/exporters"
)

// ErrInvalidOption is wrapped by the error [New] returns when an option's
// value is unusable.
var ErrInvalidOption = errors.New("emf: invalid option")

// The environment variables Powertools reads for the namespace and the
// service dimension. New reads neither: the caller passes their values to
// [WithNamespace] and [WithDimensions].
const (
	// EnvNamespace is Powertools' namespace variable.
	//
	// Deprecated: New no longer reads it; pass its value to [WithNamespace].
	EnvNamespace = "POWERTOOLS_METRICS_NAMESPACE"
	// EnvService is Powertools' service variable.
	//
	// Deprecated: New no longer reads it; pass {"service": value} to
	// [WithDimensions].
	EnvService = "POWERTOOLS_SERVICE_NAME"
)

// DefaultNamespace is the CloudWatch namespace used when no option sets
// one.
const DefaultNamespace = "Lumen"

// DefaultNameLabels are the labels whose value becomes part of the
// CloudWatch metric name by default (see [WithNameLabels]): the phase of
// faas_phase_duration_seconds, whose four series change on every
// invocation.
func DefaultNameLabels() []string { return []string{"phase"} }

// Option configures [New]. Options are sealed: only this package creates
// them.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	writer     io.Writer
	namespace  string
	dimensions map[string]string
	nameLabels []string
	drops      exporters.DropCounter
	now        func() time.Time
	filter     func(family string) bool
	errs       []error
}

func (c *config) invalid(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidOption}, args...)...))
}

// WithWriter sets where documents are written, one per line. The default is
// os.Stdout, which Lambda sends to CloudWatch Logs. A nil writer is an error.
func WithWriter(w io.Writer) Option {
	return optionFunc(func(c *config) {
		if w == nil {
			c.invalid("nil writer")
			return
		}
		c.writer = w
	})
}

// WithNamespace sets the CloudWatch namespace of every metric (Powertools
// users set POWERTOOLS_METRICS_NAMESPACE to it). The default is
// [DefaultNamespace]. The namespace must be 1 to 255 printable ASCII
// characters and must not start with "AWS/", which CloudWatch reserves.
func WithNamespace(ns string) Option {
	return optionFunc(func(c *config) { c.namespace = ns })
}

// WithDimensions sets dimensions with fixed values added to every metric,
// such as {"service": "orders"} (Powertools users set POWERTOOLS_SERVICE_NAME
// to it). A series' own label of the same name wins. The default is none;
// a later call replaces an earlier one. Names and values must be non-empty.
func WithDimensions(dims map[string]string) Option {
	return optionFunc(func(c *config) {
		for k, v := range dims {
			if strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
				c.invalid("dimension %q=%q: names and values must not be empty", k, v)
				return
			}
		}
		c.dimensions = maps.Clone(dims)
	})
}

// WithNameLabels sets the labels whose value becomes part of the CloudWatch
// metric name, after a dot, instead of a dimension:
// faas_phase_duration_seconds{phase="handle"} is written as the metric
// faas_phase_duration_seconds.handle. A document holds one value per metric
// name and one per dimension name, so several series of one metric that
// change in the same flush need one document each; a label folded into the
// name lets them share one. The default is [DefaultNameLabels]; no labels
// keeps every label a dimension.
func WithNameLabels(labels ...string) Option {
	return optionFunc(func(c *config) { c.nameLabels = slices.Clone(labels) })
}

// WithDropCounter sets where metric values that cannot be written (NaN or
// infinite values, too many dimensions, a name that is also a dimension)
// or that were not written when the exporter shut down are counted, as
// exporter "emf", signal "metrics"; a *metrics.Recorder is one. The default
// counts nothing.
func WithDropCounter(d exporters.DropCounter) Option {
	return optionFunc(func(c *config) { c.drops = d })
}

// WithClock sets the clock of the documents' _aws.Timestamp. The default is
// time.Now.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) {
		if now != nil {
			c.now = now
		}
	})
}

// WithFilter keeps only the metrics, by Prometheus name, for which keep
// returns true, e.g. to leave out go_* and process_* when their volume is
// not wanted in the log stream. The default keeps every metric. Filtered
// metrics are still read: to save the cost of collecting the Go and process
// metrics, leave them out of the Recorder instead
// (metrics.WithRuntimeCollectors(false)).
func WithFilter(keep func(family string) bool) Option {
	return optionFunc(func(c *config) { c.filter = keep })
}

func newConfig(opts []Option) (config, error) {
	c := config{writer: os.Stdout, now: time.Now, namespace: DefaultNamespace, nameLabels: DefaultNameLabels()}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if ns := c.namespace; ns == "" || len(ns) > 255 || !printableASCII(ns) || strings.HasPrefix(ns, "AWS/") {
		c.invalid("namespace %q: need 1 to 255 printable ASCII characters, not starting with AWS/", ns)
	}
	if len(c.dimensions) > MaxDimensions {
		c.invalid("%d constant dimensions: at most %d", len(c.dimensions), MaxDimensions)
	}
	return c, errors.Join(c.errs...)
}

func printableASCII(s string) bool {
	for i := range len(s) {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
