package harness

import (
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of the OTLP messages the sink reads (opentelemetry-proto).
const (
	fieldResourceItems = 1 // Export*ServiceRequest.resource_{spans,metrics,logs}
	fieldScopeItems    = 2 // Resource*.scope_{spans,metrics,logs}
	fieldItems         = 2 // Scope*.{spans,metrics,log_records}
	fieldSpanName      = 5 // Span.name
	fieldMetricName    = 1 // Metric.name
	fieldMetricSum     = 7 // Metric.sum
	fieldSumPoints     = 1 // Sum.data_points
	fieldPointDouble   = 4 // NumberDataPoint.as_double
	fieldPointInt      = 6 // NumberDataPoint.as_int
)

// eachField calls fn with every field of the message b, stopping at the
// first malformed one.
func eachField(b []byte, fn func(num protowire.Number, typ protowire.Type, v []byte, x uint64)) {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return
		}
		b = b[n:]
		var v []byte
		var x uint64
		switch typ {
		case protowire.BytesType:
			v, n = protowire.ConsumeBytes(b)
		case protowire.VarintType:
			x, n = protowire.ConsumeVarint(b)
		case protowire.Fixed64Type:
			x, n = protowire.ConsumeFixed64(b)
		case protowire.Fixed32Type:
			var x32 uint32
			x32, n = protowire.ConsumeFixed32(b)
			x = uint64(x32)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return
		}
		fn(num, typ, v, x)
		b = b[n:]
	}
}

// eachItem calls fn with each span, metric or log record of an OTLP export
// request: the items under resource, then scope.
func eachItem(req []byte, fn func(item []byte)) {
	eachField(req, func(num protowire.Number, typ protowire.Type, res []byte, _ uint64) {
		if num != fieldResourceItems || typ != protowire.BytesType {
			return
		}
		eachField(res, func(num protowire.Number, typ protowire.Type, scope []byte, _ uint64) {
			if num != fieldScopeItems || typ != protowire.BytesType {
				return
			}
			eachField(scope, func(num protowire.Number, typ protowire.Type, item []byte, _ uint64) {
				if num == fieldItems && typ == protowire.BytesType {
					fn(item)
				}
			})
		})
	})
}

// countSpans counts the spans of an ExportTraceServiceRequest, and the
// lumen.handle spans among them.
func countSpans(req []byte) (spans, handles int64) {
	eachItem(req, func(span []byte) {
		spans++
		eachField(span, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) {
			if num == fieldSpanName && typ == protowire.BytesType && string(v) == "lumen.handle" {
				handles++
			}
		})
	})
	return spans, handles
}

// countLogRecords counts the log records of an ExportLogsServiceRequest.
func countLogRecords(req []byte) int64 {
	var n int64
	eachItem(req, func([]byte) { n++ })
	return n
}

// invocationsTotal sums the data points of the faas.invocations sum in an
// ExportMetricsServiceRequest; ok is false when it holds none.
func invocationsTotal(req []byte) (total int64, ok bool) {
	eachItem(req, func(metric []byte) {
		var name string
		var sum []byte
		eachField(metric, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) {
			switch {
			case num == fieldMetricName && typ == protowire.BytesType:
				name = string(v)
			case num == fieldMetricSum && typ == protowire.BytesType:
				sum = v
			}
		})
		if name != "faas.invocations" || sum == nil {
			return
		}
		ok = true
		eachField(sum, func(num protowire.Number, typ protowire.Type, point []byte, _ uint64) {
			if num != fieldSumPoints || typ != protowire.BytesType {
				return
			}
			eachField(point, func(num protowire.Number, typ protowire.Type, _ []byte, x uint64) {
				switch {
				case num == fieldPointInt && typ == protowire.Fixed64Type:
					total += int64(x)
				case num == fieldPointDouble && typ == protowire.Fixed64Type:
					total += int64(math.Float64frombits(x))
				}
			})
		})
	})
	return total, ok
}
