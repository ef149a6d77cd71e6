package xray

import (
	"strings"

	"github.com/lumen-rt/lumen/exporters"
)

// Option configures an [Exporter].
type Option interface {
	apply(config) config
}

type optionFunc func(config) config

func (f optionFunc) apply(c config) config { return f(c) }

type config struct {
	address string
	hasAddr bool
	drops   exporters.DropCounter
	indexed map[string]string
	maxSize int
}

// WithDaemonAddress sets the daemon's address, in either form accepted by
// [ParseDaemonAddress]. It overrides AWS_XRAY_DAEMON_ADDRESS, which
// overrides the default 127.0.0.1:2000.
func WithDaemonAddress(addr string) Option {
	return optionFunc(func(c config) config {
		c.address, c.hasAddr = addr, true
		return c
	})
}

// WithDropCounter counts spans the exporter could not deliver (documents too
// large for a datagram, failed sends, exports after Shutdown) under the
// exporter name "xray" and signal "traces". Default: none; the loss is still
// reported by the error ExportSpans returns.
func WithDropCounter(c exporters.DropCounter) Option {
	return optionFunc(func(cfg config) config {
		cfg.drops = c
		return cfg
	})
}

// WithIndexedAttributes makes the named attributes annotations, which X-Ray
// indexes for filter expressions, even though their keys contain characters
// annotation keys cannot hold: every character other than [A-Za-z0-9_]
// becomes "_" (faas.coldstart is annotated as faas_coldstart). Attributes
// whose keys already follow the annotation rules are always annotations.
func WithIndexedAttributes(keys ...string) Option {
	return optionFunc(func(c config) config {
		m := make(map[string]string, len(c.indexed)+len(keys))
		for k, v := range c.indexed {
			m[k] = v
		}
		for _, k := range keys {
			m[k] = annotationKey(k)
		}
		c.indexed = m
		return c
	})
}

// annotationKey replaces every character X-Ray does not accept in an
// annotation key with "_".
func annotationKey(k string) string {
	return strings.Map(func(r rune) rune {
		if isAnnotationRune(r) {
			return r
		}
		return '_'
	}, k)
}

func isAnnotationRune(r rune) bool {
	return r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
}

// validAnnotationKey reports whether X-Ray can index k as it is.
func validAnnotationKey(k string) bool {
	if k == "" || len(k) > 500 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if !isAnnotationRune(rune(k[i])) {
			return false
		}
	}
	return true
}
