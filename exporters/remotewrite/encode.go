package remotewrite

import (
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// staleNaN is Prometheus' staleness marker: a NaN with this exact bit
// pattern ends a series.
var staleNaN = math.Float64frombits(0x7ff0000000000002)

// Field numbers of the remote write 1.0 messages (prometheus/prompb):
//
//	WriteRequest { repeated TimeSeries timeseries = 1; }
//	TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
//	Label        { string name = 1; string value = 2; }
//	Sample       { double value = 1; int64 timestamp = 2; }
const (
	fieldTimeseries  = 1
	fieldLabels      = 1
	fieldSamples     = 2
	fieldLabelName   = 1
	fieldLabelValue  = 2
	fieldSampleValue = 1
	fieldSampleTime  = 2
)

// sample is one value at a time in milliseconds.
type sample struct {
	value float64
	ts    int64
}

// writeRequest is an encoded prometheus.WriteRequest. It has the two
// methods client_golang's remote write client uses to marshal gogo-style
// messages.
type writeRequest struct{ buf []byte }

// Size returns the encoded size.
func (w *writeRequest) Size() int { return len(w.buf) }

// MarshalToSizedBuffer copies the encoding into dst, which is Size() long.
func (w *writeRequest) MarshalToSizedBuffer(dst []byte) (int, error) {
	return copy(dst, w.buf), nil
}

// encode writes b's series into w, each with the value of its seriesRef
// at ts, followed by a staleness marker at ts+1 when stale is set.
func (w *writeRequest) encode(b *batch, ts int64, stale bool) {
	w.buf = w.buf[:0]
	for _, s := range b.series {
		samples := [2]sample{{s.value, ts}, {staleNaN, ts + 1}}
		n := 1
		if stale {
			n = 2
		}
		labels := b.arena[s.start:s.end]
		w.buf = protowire.AppendTag(w.buf, fieldTimeseries, protowire.BytesType)
		w.buf = protowire.AppendVarint(w.buf, uint64(seriesSize(labels, samples[:n])))
		for _, l := range labels {
			w.buf = protowire.AppendTag(w.buf, fieldLabels, protowire.BytesType)
			w.buf = protowire.AppendVarint(w.buf, uint64(labelSize(l)))
			w.buf = protowire.AppendTag(w.buf, fieldLabelName, protowire.BytesType)
			w.buf = protowire.AppendString(w.buf, l.name)
			w.buf = protowire.AppendTag(w.buf, fieldLabelValue, protowire.BytesType)
			w.buf = protowire.AppendString(w.buf, l.value)
		}
		for _, sm := range samples[:n] {
			w.buf = protowire.AppendTag(w.buf, fieldSamples, protowire.BytesType)
			w.buf = protowire.AppendVarint(w.buf, uint64(sampleSize(sm)))
			w.buf = protowire.AppendTag(w.buf, fieldSampleValue, protowire.Fixed64Type)
			w.buf = protowire.AppendFixed64(w.buf, math.Float64bits(sm.value))
			w.buf = protowire.AppendTag(w.buf, fieldSampleTime, protowire.VarintType)
			w.buf = protowire.AppendVarint(w.buf, uint64(sm.ts))
		}
	}
}

func labelSize(l label) int {
	return 1 + protowire.SizeBytes(len(l.name)) + 1 + protowire.SizeBytes(len(l.value))
}

func sampleSize(s sample) int {
	return 1 + 8 + 1 + protowire.SizeVarint(uint64(s.ts))
}

func seriesSize(labels []label, samples []sample) int {
	n := 0
	for _, l := range labels {
		ls := labelSize(l)
		n += 1 + protowire.SizeVarint(uint64(ls)) + ls
	}
	for _, s := range samples {
		ss := sampleSize(s)
		n += 1 + protowire.SizeVarint(uint64(ss)) + ss
	}
	return n
}
