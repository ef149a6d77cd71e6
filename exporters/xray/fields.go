package xray

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// spanFields are the attributes that map to dedicated segment fields,
// under their current semantic-convention names and the older ones.
type spanFields struct {
	method, url, scheme, host, target, path, query string
	clientIP, userAgent, forwardedFor              string
	peer                                           string
	status, contentLength                          int64
	rpcSystem, rpcService, rpcMethod               string
	region, requestID                              string
}

// httpKey reports whether key is consumed into the http{} object, and so
// left out of annotations and metadata.
func httpKey(key attribute.Key) bool {
	switch key {
	case "http.request.method", "http.method",
		"url.full", "http.url",
		"client.address", "http.client_ip",
		"user_agent.original", "http.user_agent",
		"http.response.status_code", "http.status_code",
		"http.response.body.size", "http.response_content_length",
		"http.request.header.x-forwarded-for":
		return true
	}
	return false
}

func readFields(attrs []attribute.KeyValue) spanFields {
	var f spanFields
	for _, kv := range attrs {
		v := kv.Value
		switch kv.Key {
		case "http.request.method", "http.method":
			f.method = v.AsString()
		case "url.full", "http.url":
			f.url = v.AsString()
		case "url.scheme", "http.scheme":
			f.scheme = v.AsString()
		case "server.address", "http.host", "net.host.name":
			f.host = v.AsString()
		case "http.target":
			f.target = v.AsString()
		case "url.path":
			f.path = v.AsString()
		case "url.query":
			f.query = v.AsString()
		case "client.address", "http.client_ip":
			f.clientIP = v.AsString()
		case "user_agent.original", "http.user_agent":
			f.userAgent = v.AsString()
		case "http.request.header.x-forwarded-for":
			if s := v.AsStringSlice(); len(s) > 0 {
				f.forwardedFor = s[0]
			} else {
				f.forwardedFor = v.AsString()
			}
		case "net.peer.name", "server.socket.domain":
			f.peer = v.AsString()
		case "http.response.status_code", "http.status_code":
			f.status = v.AsInt64()
		case "http.response.body.size", "http.response_content_length":
			f.contentLength = v.AsInt64()
		case "rpc.system", "rpc.system.name":
			f.rpcSystem = v.AsString()
		case "rpc.service":
			f.rpcService = v.AsString()
		case "rpc.method":
			f.rpcMethod = v.AsString()
		case "cloud.region", "aws.region":
			f.region = v.AsString()
		case "aws.request_id", "aws.request.id":
			f.requestID = v.AsString()
		}
	}
	// Newer semantic conventions drop rpc.service: rpc.method is then the
	// fully qualified Service/Method (otelaws: "DynamoDB/GetItem").
	if f.rpcService == "" {
		if svc, method, ok := strings.Cut(f.rpcMethod, "/"); ok {
			f.rpcService, f.rpcMethod = svc, method
		}
	}
	return f
}

// urlParts is a request URL in pieces, written one after the other into
// one JSON string so that no URL string is built per span.
type urlParts [6]string

func (u *urlParts) empty() bool { return *u == urlParts{} }

// requestURL is url.full, or the URL rebuilt from its parts for server
// spans, which carry path and query but not the full URL.
func (f *spanFields) requestURL() urlParts {
	if f.url != "" {
		return urlParts{f.url}
	}
	var u urlParts
	if f.target != "" {
		u[3] = f.target
	} else {
		u[3] = f.path
		if f.query != "" {
			u[4], u[5] = "?", f.query
		}
	}
	if u.empty() || f.host == "" {
		return u
	}
	u[0], u[1], u[2] = f.scheme, "://", f.host
	if u[0] == "" {
		u[0] = "https"
	}
	return u
}

// clientAddress is the client's address and whether it was read from an
// X-Forwarded-For header, which X-Ray's x_forwarded_for flag says: the
// client.address attribute, else the header's first address.
func (f *spanFields) clientAddress() (ip string, forwarded bool) {
	if f.clientIP != "" || f.forwardedFor == "" {
		return f.clientIP, false
	}
	first, _, _ := strings.Cut(f.forwardedFor, ",")
	ip = strings.TrimSpace(first)
	return ip, ip != ""
}

func (f *spanFields) isAWS() bool { return f.rpcSystem == "aws-api" }

// segmentName is the X-Ray name of the span: the AWS service for AWS SDK
// calls, the remote host for HTTP client calls (X-Ray draws service-map
// nodes by name), the span name otherwise.
func segmentName(s sdktrace.ReadOnlySpan, f *spanFields) string {
	name := s.Name()
	switch {
	case f.isAWS() && f.rpcService != "":
		name = f.rpcService
	case s.SpanKind() == trace.SpanKindClient && f.method != "" && f.host != "":
		name = f.host
	case s.SpanKind() == trace.SpanKindClient && f.method != "" && f.peer != "":
		name = f.peer
	}
	return sanitizeName(name)
}

// maxNameLen is X-Ray's limit on segment names, in characters.
const maxNameLen = 200

// sanitizeName keeps the characters X-Ray accepts in a segment name
// (letters, digits, white space and _ . : / % & # = + \ - @), replaces the
// others with "_", and cuts the name to 200 characters.
func sanitizeName(name string) string {
	if name == "" {
		return "span"
	}
	ok := utf8.RuneCountInString(name) <= maxNameLen
	if ok {
		for _, r := range name {
			if !nameRune(r) {
				ok = false
				break
			}
		}
	}
	if ok {
		return name
	}
	var b strings.Builder
	n := 0
	for _, r := range name {
		if n == maxNameLen {
			break
		}
		if !nameRune(r) {
			r = '_'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

func nameRune(r rune) bool {
	if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsSpace(r) {
		return r != utf8.RuneError
	}
	return strings.ContainsRune(`_.:/%&#=+\-@`, r)
}

// outcome is the fault/error/throttle triple of a segment.
type outcome struct{ fault, err, throttle bool }

// spanOutcome follows X-Ray: 429 is a throttled error, other 4xx an error,
// 5xx a fault; an error status without an HTTP code is a fault.
func spanOutcome(s sdktrace.ReadOnlySpan, f *spanFields) outcome {
	var o outcome
	switch c := f.status; {
	case c == 429:
		o.err, o.throttle = true, true
	case c >= 400 && c < 500:
		o.err = true
	case c >= 500 && c < 600:
		o.fault = true
	}
	if s.Status().Code == codes.Error && !o.err && !o.fault {
		o.fault = true
	}
	return o
}
