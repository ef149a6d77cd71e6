package emf

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"strings"
	"time"

	"github.com/lumen-rt/lumen/exporters"
)

// ErrInvalidOption is wrapped by the error [New] returns when an option's
// value is unusable.
var ErrInvalidOption = errors.New("emf: invalid option")

// Environment variables read for defaults, the ones Powertools reads.
const (
	// EnvNamespace sets the default namespace (see [WithNamespace]).
	EnvNamespace = "POWERTOOLS_METRICS_NAMESPACE"
	// EnvService sets a default "service" dimension (see [WithDimensions]).
	EnvService = "POWERTOOLS_SERVICE_NAME"
)

// DefaultNamespace is the CloudWatch namespace used when neither an option
// nor POWERTOOLS_METRICS_NAMESPACE sets one.
const DefaultNamespace = "Lumen"

// Option configures [New]. Options are sealed: only this package creates
// them.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	writer     io.Writer
	namespace  *string
	dimensions map[string]string
	dimsSet    bool
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

// WithNamespace sets the CloudWatch namespace of every metric. The default is
// POWERTOOLS_METRICS_NAMESPACE, else [DefaultNamespace]; the option wins.
// The namespace must be 1 to 255 printable ASCII characters and must not
// start with "AWS/", which CloudWatch reserves.
func WithNamespace(ns string) Option {
	return optionFunc(func(c *config) { c.namespace = &ns })
}

// WithDimensions sets dimensions with fixed values added to every document,
// such as {"service": "orders"}. A series' own label of the same name wins.
// The default is {"service": POWERTOOLS_SERVICE_NAME} when that variable is
// set, else none; the option replaces it. Names and values must be non-empty.
func WithDimensions(dims map[string]string) Option {
	return optionFunc(func(c *config) {
		for k, v := range dims {
			if strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
				c.invalid("dimension %q=%q: names and values must not be empty", k, v)
				return
			}
		}
		c.dimensions, c.dimsSet = maps.Clone(dims), true
	})
}

// WithDropCounter sets where series that cannot be written (NaN or infinite
// values, too many dimensions) are counted, as exporter "emf", signal
// "metrics"; a *metrics.Recorder is one. The default counts nothing.
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

// WithFilter keeps only the metric families for which keep returns true,
// e.g. to leave out go_* and process_* when their per-invocation volume is
// not wanted in the log stream. The default keeps every family. Filtered
// families are still gathered: to save the cost of collecting the Go and
// process metrics (about 1 ms a flush, mostly /proc reads), leave them out
// of the registry instead (metrics.WithRuntimeCollectors(false)).
func WithFilter(keep func(family string) bool) Option {
	return optionFunc(func(c *config) { c.filter = keep })
}

func newConfig(opts []Option, getenv func(string) string) (config, error) {
	c := config{writer: os.Stdout, now: time.Now}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if c.namespace == nil {
		ns := getenv(EnvNamespace)
		if ns == "" {
			ns = DefaultNamespace
		}
		c.namespace = &ns
	}
	if ns := *c.namespace; ns == "" || len(ns) > 255 || !printableASCII(ns) || strings.HasPrefix(ns, "AWS/") {
		c.invalid("namespace %q: need 1 to 255 printable ASCII characters, not starting with AWS/", ns)
	}
	if !c.dimsSet {
		if svc := getenv(EnvService); strings.TrimSpace(svc) != "" {
			c.dimensions = map[string]string{"service": svc}
		}
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
