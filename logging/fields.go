package logging

import (
	"context"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
)

// maxFields bounds the context fields of one line; fields are gathered in a
// stack array of this size.
const maxFields = 12

// source holds the values a line's context fields are made of, copied out of
// the context. It is comparable by value, so a handler can tell whether two
// lines belong to the same invocation and span even if the runtime reuses
// its structures.
type source struct {
	// inInvocation is true when ctx carries an invocation.Info or a
	// lambdacontext.LambdaContext.
	inInvocation bool
	// hasColdStart is true when the invocation came from an invocation.Info,
	// the only source that knows about cold starts.
	hasColdStart bool
	coldStart    bool
	requestID    string
	arn          string
	xrayRoot     string
	tenantID     string
	traceID      trace.TraceID
	spanID       trace.SpanID
}

// lookup reads the invocation and the current span from ctx. Lumen's
// invocation.Info wins; aws-lambda-go's lambdacontext (with its
// "x-amzn-trace-id" value) is the fallback for handlers run by other runtimes
// or tests. A nil ctx holds nothing.
func lookup(ctx context.Context) source {
	var s source
	if ctx == nil {
		return s
	}
	var lc *lambdacontext.LambdaContext
	if info, ok := invocation.FromContext(ctx); ok && info != nil {
		lc = &info.Lambda
		s.hasColdStart, s.coldStart = true, info.ColdStart
	} else if l, ok := lambdacontext.FromContext(ctx); ok && l != nil {
		lc = l
	}
	if lc != nil {
		s.inInvocation = true
		s.requestID, s.arn, s.tenantID = lc.AwsRequestID, lc.InvokedFunctionArn, lc.TenantID
		if h, ok := invocation.XRayFromContext(ctx); ok {
			s.xrayRoot = h.Root
		}
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		s.traceID, s.spanID = sc.TraceID(), sc.SpanID()
	}
	return s
}

// empty reports whether s carries neither an invocation nor a span.
func (s *source) empty() bool {
	return !s.inInvocation && !s.traceID.IsValid()
}

// appendFields appends the correlation fields of s to dst. Invocation fields
// are written only inside an invocation, span fields only with a valid span;
// empty strings are skipped.
func (c *config) appendFields(dst []slog.Attr, s *source) []slog.Attr {
	if s.inInvocation {
		if id := s.requestID; id != "" {
			dst = append(dst, slog.String(RequestIDKey, id), slog.String(FunctionRequestIDKey, id))
		}
		if s.hasColdStart {
			dst = append(dst, slog.Bool(ColdStartKey, s.coldStart))
		}
		if c.functionName != "" {
			dst = append(dst, slog.String(FunctionNameKey, c.functionName))
		}
		if c.memorySet {
			dst = append(dst, slog.Int(FunctionMemorySizeKey, c.memoryMB))
		}
		if s.arn != "" {
			dst = append(dst, slog.String(FunctionARNKey, s.arn))
		}
		if s.xrayRoot != "" {
			dst = append(dst, slog.String(XRayTraceIDKey, s.xrayRoot))
		}
		if s.tenantID != "" {
			dst = append(dst, slog.String(TenantIDKey, s.tenantID))
		}
	}
	if s.traceID.IsValid() {
		// One allocation for both ids.
		var b [2*len(trace.TraceID{}) + 2*len(trace.SpanID{})]byte
		n := hexEncode(b[:], s.traceID[:])
		hexEncode(b[n:], s.spanID[:])
		ids := string(b[:])
		dst = append(dst, slog.String(TraceIDKey, ids[:n]), slog.String(SpanIDKey, ids[n:]))
	}
	return dst
}

func hexEncode(dst, src []byte) int {
	const digits = "0123456789abcdef"
	for i, v := range src {
		dst[2*i] = digits[v>>4]
		dst[2*i+1] = digits[v&0x0f]
	}
	return 2 * len(src)
}
