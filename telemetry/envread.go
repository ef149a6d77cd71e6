package telemetry

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lumen-rt/lumen/exporters"
)

// Why values are ignored or refused.
var (
	errNotBool     = errors.New(`ignored: want "true" or "false"`)
	errNotNumber   = errors.New("ignored: want a non-negative integer")
	errUnknownEnum = errors.New("ignored: unknown value")
	errNotPairs    = errors.New(`ignored: want "key=value,key=value"`)
	errBudget      = errors.New("want a positive duration such as 750ms")
)

// reader reads variables, collecting what it could not use.
type reader struct {
	getenv         func(string) string
	warnings, errs []error
}

func (r *reader) get(name string) string {
	if r.getenv == nil {
		return ""
	}
	return r.getenv(name)
}

func (r *reader) warn(name, value string, err error) {
	r.warnings = append(r.warnings, &VarError{Variable: name, Value: value, Err: err})
}

func (r *reader) fail(name, value string, err error) {
	r.errs = append(r.errs, &VarError{Variable: name, Value: value, Err: err})
}

// boolean reads a specification boolean: only "true", in any case, is true;
// anything but "false" or empty is warned about.
func (r *reader) boolean(name string) bool {
	v := strings.TrimSpace(r.get(name))
	switch strings.ToLower(v) {
	case "true":
		return true
	case "false", "":
		return false
	}
	r.warn(name, v, errNotBool)
	return false
}

// names reads a comma-separated list of names, trimmed, lower-cased,
// without empties or repeats; nil when unset or blank.
func (r *reader) names(name string) []string {
	v := r.get(name)
	var out []string
	for n := range strings.SplitSeq(v, ",") {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// enum reads one of values (case-insensitive), def when unset or unknown.
func (r *reader) enum(name, def string, values ...string) string {
	v := strings.TrimSpace(r.get(name))
	if v == "" {
		return def
	}
	if l := strings.ToLower(v); slices.Contains(values, l) {
		return l
	}
	r.warn(name, v, fmt.Errorf("%w, want one of %s", errUnknownEnum, strings.Join(values, ", ")))
	return def
}

// positive reads a non-negative integer; 0 when unset or invalid.
func (r *reader) positive(name string) int {
	v := strings.TrimSpace(r.get(name))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		r.warn(name, v, errNotNumber)
		return 0
	}
	return n
}

// price reads a strict non-negative amount of USD; an invalid one fails the
// init (a wrong price would make every cost estimate wrong).
func (r *reader) price(name string) float64 {
	v := strings.TrimSpace(r.get(name))
	if v == "" {
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 {
		r.fail(name, v, errors.New("want a non-negative amount of USD such as 0.0000166667"))
		return 0
	}
	return f
}

// budget reads a strict positive Go duration; an invalid one fails the init.
func (r *reader) budget(name string) time.Duration {
	v := strings.TrimSpace(r.get(name))
	if v == "" {
		return 0
	}
	d, err := time.ParseDuration(v)
	if err == nil && d <= 0 {
		err = errBudget
	}
	if err != nil {
		r.fail(name, v, err)
		return 0
	}
	return d
}

// redacted stands for the value of a variable that may hold secrets (OTLP
// headers carry API keys) in warnings, which are logged.
const redacted = "(redacted)"

// pairs reads a W3C-baggage-like list, key=value,…, values percent-decoded.
// A malformed list is ignored as a whole, with a warning.
func (r *reader) pairs(name string) []KeyValue {
	return r.pairList(name, r.get(name))
}

// headers is pairs for a list of headers, whose value warnings never show.
func (r *reader) headers(name string) []KeyValue {
	return r.pairList(name, redacted)
}

func (r *reader) pairList(name, shown string) []KeyValue {
	v := r.get(name)
	if strings.TrimSpace(v) == "" {
		return nil
	}
	var out []KeyValue
	for item := range strings.SplitSeq(v, ",") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		key, value, ok := strings.Cut(item, "=")
		key = strings.TrimSpace(key)
		dec, err := url.PathUnescape(strings.TrimSpace(value))
		if !ok || key == "" || err != nil {
			r.warn(name, shown, errNotPairs)
			return nil
		}
		out = append(out, KeyValue{Key: key, Value: dec})
	}
	return out
}

func (r *reader) resourceAttributes() []KeyValue { return r.pairs(EnvResourceAttributes) }

// otlp resolves one signal's OTLP settings: the signal's variable, else the
// generic one, else the default.
func (r *reader) otlp(signal string) exporters.OTLPSettings {
	var s exporters.OTLPSettings
	pick := func(x string) (name, value string) {
		specific := "OTEL_EXPORTER_OTLP_" + strings.ToUpper(signal) + "_" + x
		if v := strings.TrimSpace(r.get(specific)); v != "" {
			return specific, v
		}
		generic := "OTEL_EXPORTER_OTLP_" + x
		return generic, strings.TrimSpace(r.get(generic))
	}
	if name, v := pick(OTLPEndpoint); v != "" {
		if u, err := url.Parse(v); err != nil || u.Scheme == "" || u.Host == "" {
			r.warn(name, v, errors.New("ignored: want an absolute http or https URL"))
		} else {
			s.Endpoint, s.SignalURL = v, !strings.HasPrefix(name, "OTEL_EXPORTER_OTLP_"+OTLPEndpoint)
		}
	}
	s.Protocol = exporters.ProtocolHTTPProtobuf
	if name, v := pick(OTLPProtocol); v != "" {
		switch strings.ToLower(v) {
		case exporters.ProtocolHTTPProtobuf:
		case exporters.ProtocolGRPC:
			s.Protocol = exporters.ProtocolGRPC
		case exporters.ProtocolHTTPJSON:
			r.warn(name, v, errors.New("sent as http/protobuf, which OTLP/HTTP receivers accept on the same URL"))
		default:
			r.warn(name, v, fmt.Errorf("%w, want http/protobuf, grpc or http/json", errUnknownEnum))
		}
	}
	if name, v := pick(OTLPHeaders); v != "" {
		for _, kv := range r.headers(name) {
			if s.Headers == nil {
				s.Headers = map[string]string{}
			}
			s.Headers[kv.Key] = kv.Value
		}
	}
	if name, v := pick(OTLPCompression); v != "" {
		switch strings.ToLower(v) {
		case "gzip":
			s.Compression = "gzip"
		case "none":
		default:
			r.warn(name, v, fmt.Errorf("%w, want gzip or none", errUnknownEnum))
		}
	}
	if name, v := pick(OTLPTimeout); v != "" {
		if ms := r.positive(name); ms > 0 {
			s.Timeout = time.Duration(ms) * time.Millisecond
		}
	}
	return s
}

func (r *reader) limits() Limits {
	return Limits{
		AttributeValueLength:     r.positive(EnvAttributeValueLengthLimit),
		AttributeCount:           r.positive(EnvAttributeCountLimit),
		SpanAttributeValueLength: r.positive(EnvSpanAttributeValueLengthLimit),
		SpanAttributeCount:       r.positive(EnvSpanAttributeCountLimit),
		SpanEventCount:           r.positive(EnvSpanEventCountLimit),
		SpanLinkCount:            r.positive(EnvSpanLinkCountLimit),
		EventAttributeCount:      r.positive(EnvEventAttributeCountLimit),
		LinkAttributeCount:       r.positive(EnvLinkAttributeCountLimit),
	}
}

// prometheusAddr is LUMEN_METRICS_ADDR, else the OpenTelemetry Prometheus
// exporter's host and port.
func (r *reader) prometheusAddr() string {
	if v := strings.TrimSpace(r.get(EnvMetricsAddr)); v != "" {
		return v
	}
	host := strings.TrimSpace(r.get(EnvPrometheusHost))
	if host == "" {
		host = "localhost"
	}
	port := "9464"
	if v := strings.TrimSpace(r.get(EnvPrometheusPort)); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n <= 0 || n > 65535 {
			r.warn(EnvPrometheusPort, v, errors.New("ignored: want a port number"))
		} else {
			port = v
		}
	}
	return net.JoinHostPort(host, port)
}

func (r *reader) lambda() Lambda {
	l := Lambda{
		RuntimeAPI:         strings.TrimSpace(r.get(EnvRuntimeAPI)),
		InitializationType: strings.TrimSpace(r.get(EnvInitializationType)),
		FunctionName:       strings.TrimSpace(r.get(EnvFunctionName)),
		FunctionVersion:    strings.TrimSpace(r.get(EnvFunctionVersion)),
		Region:             strings.TrimSpace(r.get(EnvRegion)),
		LogGroup:           strings.TrimSpace(r.get(EnvLogGroupName)),
		LogStream:          strings.TrimSpace(r.get(EnvLogStreamName)),
		LogFormat:          strings.TrimSpace(r.get(EnvLogFormat)),
		LogLevel:           strings.TrimSpace(r.get(EnvLogLevel)),
		XRayDaemonAddress:  strings.TrimSpace(r.get(EnvXRayDaemonAddress)),
	}
	// Lambda sets both; a malformed value would not come from Lambda, and
	// warning about it is all that is useful.
	l.MaxConcurrency = r.positive(EnvMaxConcurrency)
	l.MemoryMB = r.positive(EnvFunctionMemorySize)
	return l
}

func (r *reader) powertools() Powertools {
	p := Powertools{
		ServiceName:      strings.TrimSpace(r.get(EnvPowertoolsServiceName)),
		LogLevel:         strings.TrimSpace(r.get(EnvPowertoolsLogLevel)),
		MetricsNamespace: strings.TrimSpace(r.get(EnvPowertoolsMetricsNamespace)),
	}
	if v := strings.TrimSpace(r.get(EnvPowertoolsLoggerSampleRate)); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || f > 1 {
			r.warn(EnvPowertoolsLoggerSampleRate, v, errors.New("ignored: want a number from 0 to 1"))
		} else {
			p.LoggerSampleRate, p.SampleRateSet = f, true
		}
	}
	return p
}
