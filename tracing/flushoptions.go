package tracing

import (
	"reflect"
	"strings"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
)

// Defaults of [NewFlushProcessor], those of the SDK's batch span processor
// (OTEL_BSP_MAX_QUEUE_SIZE and OTEL_BSP_MAX_EXPORT_BATCH_SIZE).
const (
	DefaultMaxBufferedSpans = 2048
	DefaultMaxExportBatch   = 512
)

// FlushProcessorOption configures [NewFlushProcessor].
type FlushProcessorOption interface {
	apply(flushConfig) flushConfig
}

type flushOptionFunc func(flushConfig) flushConfig

func (f flushOptionFunc) apply(c flushConfig) flushConfig { return f(c) }

type flushConfig struct {
	maxSpans int
	maxBatch int
	drops    exporters.DropCounter
	name     string
}

// WithMaxBufferedSpans bounds the spans kept between flushes, including
// those kept after a failed export; past it the oldest are dropped and
// counted. It is what OTEL_BSP_MAX_QUEUE_SIZE sets for the SDK's batch
// processor; the caller reads that variable and passes its value. Values
// below 1 keep the default, [DefaultMaxBufferedSpans].
func WithMaxBufferedSpans(n int) FlushProcessorOption {
	return flushOptionFunc(func(c flushConfig) flushConfig {
		if n > 0 {
			c.maxSpans = n
		}
		return c
	})
}

// WithMaxExportBatch bounds the spans of one ExportSpans call; a flush with
// more exports several batches, all under its context. It is what
// OTEL_BSP_MAX_EXPORT_BATCH_SIZE sets for the SDK's batch processor. Values
// below 1 keep the default, [DefaultMaxExportBatch]; values above the
// buffer's bound are lowered to it.
func WithMaxExportBatch(n int) FlushProcessorOption {
	return flushOptionFunc(func(c flushConfig) flushConfig {
		if n > 0 {
			c.maxBatch = n
		}
		return c
	})
}

// WithFlushDropCounter counts the spans the processor drops (buffer full,
// export failed on Shutdown, ended after Shutdown) as
// Dropped(name, "traces", n), and each failed export attempt through
// ExportFailed when dc also implements [exporters.ExportFailureCounter].
// Default: none. The exporter itself must not count the spans of a failure
// it lets the processor keep, or a span kept and delivered at the next flush
// would also be counted as lost; an error with a DroppedSpans() int method
// tells the processor the exporter counted those spans and they are not
// kept (the OTLP exporter does so for spans a backend refused for good).
func WithFlushDropCounter(dc exporters.DropCounter) FlushProcessorOption {
	return flushOptionFunc(func(c flushConfig) flushConfig {
		c.drops = dc
		return c
	})
}

// WithExporterName sets the exporter name drops are counted under. Default:
// the exporter's Name() if it has that method, else the last element of its
// type's package path (xray for *xray.Exporter).
func WithExporterName(name string) FlushProcessorOption {
	return flushOptionFunc(func(c flushConfig) flushConfig {
		c.name = name
		return c
	})
}

// exporterName is the default name of exp: its Name() or its package's.
func exporterName(exp sdktrace.SpanExporter) string {
	if exp == nil {
		return ""
	}
	if n, ok := exp.(interface{ Name() string }); ok {
		return n.Name()
	}
	t := reflect.TypeOf(exp)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	path := t.PkgPath()
	if path == "" {
		return "exporter"
	}
	return path[strings.LastIndexByte(path, '/')+1:]
}
