package tracing

import (
	"context"
	"encoding/binary"
	"math/rand/v2"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

var _ sdktrace.IDGenerator = IDGenerator{}

// IDGenerator generates X-Ray-compatible ids: the first four bytes of a trace
// id are the current Unix time in seconds (big endian), the other twelve and
// every span id are random. X-Ray rejects trace ids whose time part is more
// than 30 days old or in the future, so functions that report to X-Ray need
// it; other backends accept it too. Pass it with sdktrace.WithIDGenerator.
//
// It draws from math/rand/v2's global ChaCha8 source, which is safe for
// concurrent use without a lock; ids are not secrets. The zero value is
// ready to use.
//
// It is Lumen's own rather than go.opentelemetry.io/contrib/propagators/aws's
// (deprecated upstream, and it formats and parses hex for the time part on
// every trace): same layout, no allocation.
type IDGenerator struct{}

// NewIDs implements sdktrace.IDGenerator.
func (IDGenerator) NewIDs(context.Context) (trace.TraceID, trace.SpanID) {
	var tid trace.TraceID
	binary.BigEndian.PutUint32(tid[:4], uint32(time.Now().Unix())) //nolint:gosec // epoch seconds fit in 32 bits until 2106
	binary.NativeEndian.PutUint64(tid[4:12], rand.Uint64())        //nolint:gosec // ids are not secrets
	binary.NativeEndian.PutUint32(tid[12:], rand.Uint32())         //nolint:gosec // ids are not secrets
	return tid, newSpanID()
}

// NewSpanID implements sdktrace.IDGenerator.
func (IDGenerator) NewSpanID(context.Context, trace.TraceID) trace.SpanID {
	return newSpanID()
}

func newSpanID() trace.SpanID {
	var sid trace.SpanID
	for !sid.IsValid() {
		binary.NativeEndian.PutUint64(sid[:], rand.Uint64()) //nolint:gosec // ids are not secrets
	}
	return sid
}
