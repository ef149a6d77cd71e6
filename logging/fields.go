package logging

import (
	"context"
	"log/slog"
	"strings"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
)

// traceHeaderKey is the context key aws-lambda-go uses for the raw X-Ray
// header. It is a plain string there, so it is one here.
const traceHeaderKey = "x-amzn-trace-id"

// maxFields bounds the context fields of one line; fields are gathered in a
// stack array of this size.
const maxFields = 12

// source is what a line's context fields come from. It is comparable, so a
// handler can tell whether two lines belong to the same invocation and span.
type source struct {
	info    *invocation.Info
	lc      *lambdacontext.LambdaContext
	header  string
	traceID trace.TraceID
	spanID  trace.SpanID
}

// lookup reads the invocation and the current span from ctx. Lumen's
// invocation.Info wins; aws-lambda-go's lambdacontext (with its
// "x-amzn-trace-id" value) is the fallback for handlers run by other runtimes
// or tests.
func lookup(ctx context.Context) source {
	var s source
	if info, ok := invocation.FromContext(ctx); ok && info != nil {
		s.info, s.lc, s.header = info, &info.Lambda, info.TraceHeader
	} else if lc, ok := lambdacontext.FromContext(ctx); ok && lc != nil {
		s.lc = lc
	}
	if s.lc != nil && s.header == "" {
		if h, ok := ctx.Value(traceHeaderKey).(string); ok {
			s.header = h
		}
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		s.traceID, s.spanID = sc.TraceID(), sc.SpanID()
	}
	return s
}

// empty reports whether s carries neither an invocation nor a span.
func (s *source) empty() bool {
	return s.lc == nil && !s.traceID.IsValid()
}

// requestID returns the AWS request id of the invocation in ctx, or "".
func requestID(ctx context.Context) string {
	if info, ok := invocation.FromContext(ctx); ok && info != nil {
		return info.Lambda.AwsRequestID
	}
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc != nil {
		return lc.AwsRequestID
	}
	return ""
}

// appendFields appends the correlation fields of s to dst. Invocation fields
// are written only when there is an invocation, span fields only when there is
// a valid span; empty strings are skipped.
func (c *config) appendFields(dst []slog.Attr, s *source) []slog.Attr {
	if lc := s.lc; lc != nil {
		if id := lc.AwsRequestID; id != "" {
			dst = append(dst, slog.String(RequestIDKey, id), slog.String(FunctionRequestIDKey, id))
		}
		if s.info != nil {
			dst = append(dst, slog.Bool(ColdStartKey, s.info.ColdStart))
		}
		if c.functionName != "" {
			dst = append(dst, slog.String(FunctionNameKey, c.functionName))
		}
		if c.memorySet {
			dst = append(dst, slog.Int(FunctionMemorySizeKey, c.memoryMB))
		}
		if arn := lc.InvokedFunctionArn; arn != "" {
			dst = append(dst, slog.String(FunctionARNKey, arn))
		}
		if root := xrayRoot(s.header); root != "" {
			dst = append(dst, slog.String(XRayTraceIDKey, root))
		}
		if t := lc.TenantID; t != "" {
			dst = append(dst, slog.String(TenantIDKey, t))
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

// xrayRoot returns the Root part of an X-Ray trace header
// ("Root=1-…;Parent=…;Sampled=…"), or "" when there is none.
func xrayRoot(header string) string {
	for header != "" {
		var part string
		part, header, _ = strings.Cut(header, ";")
		part = strings.TrimSpace(part)
		if v, ok := strings.CutPrefix(part, "Root="); ok {
			return v
		}
	}
	return ""
}

func hexEncode(dst, src []byte) int {
	const digits = "0123456789abcdef"
	for i, v := range src {
		dst[2*i] = digits[v>>4]
		dst[2*i+1] = digits[v&0x0f]
	}
	return 2 * len(src)
}
