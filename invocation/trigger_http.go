package invocation

import (
	"bytes"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

var (
	triggerHTTP       = semconv.FaaSTriggerHTTP
	triggerPubSub     = semconv.FaaSTriggerPubSub
	triggerDatasource = semconv.FaaSTriggerDatasource
	triggerTimer      = semconv.FaaSTriggerTimer
	triggerOther      = semconv.FaaSTriggerOther
)

// httpRequest is what the HTTP triggers have in common, as raw JSON values.
type httpRequest struct {
	method, path, query, route []byte
	domain, userAgent, client  []byte
	protocol                   []byte
	scheme, clientAddr         string
	headers                    Headers
}

// classifyHTTPv2 handles the payload format 2.0 of API Gateway HTTP APIs and
// function URLs.
func classifyHTTPv2(t *topLevel) Event {
	r := httpRequest{
		path:    t.rawPath,
		query:   t.rawQuery,
		headers: Headers{raw: t.headers},
	}
	var httpCtx []byte
	members(t.requestContext, func(k, v []byte) bool {
		switch string(k) {
		case "http":
			httpCtx = v
		case "domainName":
			r.domain = v
		}
		return true
	})
	members(httpCtx, func(k, v []byte) bool {
		switch string(k) {
		case "method":
			r.method = v
		case "path":
			if r.path == nil {
				r.path = v
			}
		case "protocol":
			r.protocol = v
		case "sourceIp":
			r.client = v
		case "userAgent":
			r.userAgent = v
		}
		return true
	})
	src := SourceAPIGatewayHTTP
	if bytes.Contains(r.domain, []byte(".lambda-url.")) {
		src = SourceFunctionURL
	}
	// routeKey is "GET /items/{id}", "ANY /{proxy+}" or "$default".
	if rk := str(t.routeKey); rk != "$default" {
		if _, route, ok := strings.Cut(rk, " "); ok {
			r.route = []byte(route)
		}
	}
	r.scheme = "https" // HTTP APIs and function URLs serve HTTPS only.
	return r.event(src)
}

// classifyHTTPv1 handles API Gateway REST APIs (payload format 1.0) and ALB.
func classifyHTTPv1(t *topLevel) Event {
	r := httpRequest{
		method:  t.httpMethod,
		path:    t.path,
		headers: Headers{raw: t.headers, multi: t.multiHeaders},
	}
	var identity, elb []byte
	members(t.requestContext, func(k, v []byte) bool {
		switch string(k) {
		case "elb":
			elb = v
		case "identity":
			identity = v
		case "domainName":
			r.domain = v
		case "protocol":
			r.protocol = v
		}
		return true
	})
	if elb != nil {
		// ALB passes the client's request through; what it knows is in the
		// headers.
		if xff := r.headers.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			r.clientAddr = strings.TrimSpace(first)
		}
		r.scheme = r.headers.Get("X-Forwarded-Proto")
		return r.event(SourceALB)
	}
	members(identity, func(k, v []byte) bool {
		switch string(k) {
		case "sourceIp":
			r.client = v
		case "userAgent":
			r.userAgent = v
		}
		return true
	})
	if !isNull(t.resource) {
		r.route = []byte(str(t.resource))
	}
	r.scheme = "https" // REST APIs serve HTTPS only.
	return r.event(SourceAPIGatewayREST)
}

// event builds the Event of an HTTP trigger.
func (r *httpRequest) event(src Source) Event {
	ev := Event{
		Trigger:    TriggerHTTP,
		Source:     src,
		Kind:       trace.SpanKindServer,
		Headers:    r.headers,
		Attributes: make([]attribute.KeyValue, 0, 10),
	}
	ev.Attributes = append(ev.Attributes, triggerHTTP)
	method := str(r.method)
	if method != "" {
		m, known := httpMethod(method)
		ev.Attributes = append(ev.Attributes, m)
		if !known {
			ev.Attributes = append(ev.Attributes, semconv.HTTPRequestMethodOriginal(method))
			method = "HTTP"
		}
	}
	if p := str(r.path); p != "" {
		ev.Attributes = append(ev.Attributes, semconv.URLPath(p))
	}
	if q := str(r.query); q != "" {
		ev.Attributes = append(ev.Attributes, semconv.URLQuery(redactQuery(q)))
	}
	if r.scheme != "" {
		ev.Attributes = append(ev.Attributes, semconv.URLScheme(r.scheme))
	}
	if len(r.route) > 0 {
		ev.Route = string(r.route)
		ev.Attributes = append(ev.Attributes, semconv.HTTPRoute(ev.Route))
		if method != "" {
			ev.Name = method + " " + ev.Route
		} else {
			ev.Name = ev.Route
		}
	}
	server := str(r.domain)
	if server == "" {
		server = r.headers.Get("Host")
	}
	if server != "" {
		ev.Attributes = append(ev.Attributes, semconv.ServerAddress(server))
	}
	ua := str(r.userAgent)
	if ua == "" {
		ua = r.headers.Get("User-Agent")
	}
	if ua != "" {
		ev.Attributes = append(ev.Attributes, semconv.UserAgentOriginal(ua))
	}
	c := r.clientAddr
	if c == "" {
		c = str(r.client)
	}
	if c != "" {
		ev.Attributes = append(ev.Attributes, semconv.ClientAddress(c))
	}
	if v, ok := bytes.CutPrefix(bytes.Trim(r.protocol, `"`), []byte("HTTP/")); ok && len(v) > 0 {
		ev.Attributes = append(ev.Attributes, protocolVersion(v))
	}
	return ev
}

// httpMethod returns the http.request.method attribute for m: m itself for
// the methods HTTP defines, "_OTHER" (known=false) for anything else.
func httpMethod(m string) (kv attribute.KeyValue, known bool) {
	switch m {
	case "GET":
		return semconv.HTTPRequestMethodGet, true
	case "POST":
		return semconv.HTTPRequestMethodPost, true
	case "PUT":
		return semconv.HTTPRequestMethodPut, true
	case "DELETE":
		return semconv.HTTPRequestMethodDelete, true
	case "PATCH":
		return semconv.HTTPRequestMethodPatch, true
	case "HEAD":
		return semconv.HTTPRequestMethodHead, true
	case "OPTIONS":
		return semconv.HTTPRequestMethodOptions, true
	case "CONNECT":
		return semconv.HTTPRequestMethodConnect, true
	case "TRACE":
		return semconv.HTTPRequestMethodTrace, true
	}
	return semconv.HTTPRequestMethodOther, false
}

// protocolVersion returns network.protocol.version for the version part of
// "HTTP/1.1" or "HTTP/2.0": "1.1", "2", as the HTTP conventions spell them.
func protocolVersion(v []byte) attribute.KeyValue {
	switch string(v) {
	case "1.1":
		return protoHTTP11
	case "2.0", "2":
		return protoHTTP2
	case "3.0", "3":
		return protoHTTP3
	}
	return semconv.NetworkProtocolVersion(string(v))
}

var (
	protoHTTP11 = semconv.NetworkProtocolVersion("1.1")
	protoHTTP2  = semconv.NetworkProtocolVersion("2")
	protoHTTP3  = semconv.NetworkProtocolVersion("3")
)

func isNull(raw []byte) bool { return len(raw) == 0 || string(raw) == "null" }

// sensitiveQueryKeys are the query parameters whose values are redacted
// from url.query: those the HTTP semantic conventions name (request
// signatures and access keys of presigned URLs), and their SigV4 forms,
// which AWS's own presigned URLs carry (the signature, the credential
// scope naming the access key, the session token).
var sensitiveQueryKeys = [...]string{
	"AWSAccessKeyId", "Signature", "sig", "X-Goog-Signature",
	"X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token",
}

// redactQuery replaces the value of every sensitive parameter of a raw query
// string with REDACTED, keeping the rest byte for byte. It allocates only
// when it redacts.
func redactQuery(q string) string {
	var b []byte
	for i := 0; i < len(q); {
		end := strings.IndexByte(q[i:], '&')
		if end < 0 {
			end = len(q)
		} else {
			end += i
		}
		pair := q[i:end]
		key, _, hasValue := strings.Cut(pair, "=")
		sensitive := false
		for _, k := range sensitiveQueryKeys {
			if key == k {
				sensitive = true
				break
			}
		}
		if sensitive && hasValue {
			if b == nil {
				b = append(make([]byte, 0, len(q)), q[:i]...)
			}
			b = append(b, key...)
			b = append(b, "=REDACTED"...)
		} else if b != nil {
			b = append(b, pair...)
		}
		if end < len(q) && b != nil {
			b = append(b, '&')
		}
		i = end + 1
	}
	if b == nil {
		return q
	}
	return string(b)
}
