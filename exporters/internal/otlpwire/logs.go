package otlpwire

import (
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	"google.golang.org/protobuf/encoding/protowire"
)

// Fields of opentelemetry.proto.logs.v1.LogRecord.
const (
	logTime           protowire.Number = 1
	logSeverity       protowire.Number = 2
	logSeverityText   protowire.Number = 3
	logBody           protowire.Number = 5
	logAttributes     protowire.Number = 6
	logDroppedAttrs   protowire.Number = 7
	logFlags          protowire.Number = 8
	logTraceID        protowire.Number = 9
	logSpanID         protowire.Number = 10
	logObservedTime   protowire.Number = 11
	logRecordsInScope                  = scopeItems
)

// LogRecord holds the fields of a log record other than its attributes.
type LogRecord struct {
	// Time and Observed are in nanoseconds since the Unix epoch; 0 is
	// unknown.
	Time, Observed uint64
	// Severity is the OpenTelemetry severity number, 1 (TRACE) to 24
	// (FATAL4); 0 is unspecified.
	Severity int32
	// SeverityText is the level's name.
	SeverityText string
	// Body is the message, sent as a string body even when empty.
	Body string
	// TraceID and SpanID correlate the record; zero ids are not sent.
	TraceID [16]byte
	SpanID  [8]byte
	// Flags are the W3C trace flags.
	Flags uint32
}

// OpenLogRecord appends the head of a ScopeLogs' LogRecord and r's fields;
// append its attributes with [AppendSlogAttr] and [AppendStringAttribute]
// (field [LogAttributes]), then call [Close] with the offset it returns.
func OpenLogRecord(b []byte, r *LogRecord) ([]byte, int) {
	b, start := Open(b, logRecordsInScope)
	b = AppendFixed64(b, logTime, r.Time)
	b = AppendFixed64(b, logObservedTime, r.Observed)
	b = AppendVarint(b, logSeverity, uint64(max(0, r.Severity))) //nolint:gosec // Clamped.
	b = AppendString(b, logSeverityText, r.SeverityText)
	var body int
	b, body = Open(b, logBody)
	b = Close(AppendStringValue(b, r.Body), body)
	if r.TraceID != [16]byte{} {
		b = AppendMessage(b, logTraceID, r.TraceID[:])
	}
	if r.SpanID != [8]byte{} {
		b = AppendMessage(b, logSpanID, r.SpanID[:])
	}
	b = AppendFixed32(b, logFlags, r.Flags)
	return b, start
}

// LogAttributes is the field number of a LogRecord's attributes.
const LogAttributes = logAttributes

// Logs frames encoded log records into an ExportLogsServiceRequest without
// copying them: the records are appended after a reserved head room, and
// [Logs.Frame] writes the request's head into the end of that room. It is
// not safe for concurrent use.
type Logs struct {
	res   *Resource
	scope *Scope
	head  []byte
}

// NewLogs returns a framer for records of resource res and scope.
func NewLogs(res *resource.Resource, scope instrumentation.Scope) *Logs {
	return &Logs{res: NewResource(res), scope: NewScope(scope)}
}

// HeadRoom is the number of bytes to reserve before the first record.
func (l *Logs) HeadRoom() int {
	const maxLen = 5 // a length of less than 4 GiB
	return protowire.SizeTag(requestResource) + maxLen + l.res.headSize() +
		protowire.SizeTag(resScopes) + maxLen + l.scope.headSize()
}

// Frame returns the request whose records are buf[room:] (room being at
// least [Logs.HeadRoom]): it writes the head of the request into the end
// of buf[:room] and returns the tail of buf that starts with it.
func (l *Logs) Frame(buf []byte, room int) []byte {
	records := len(buf) - room
	scopeLen := l.scope.headSize() + records
	resLen := l.res.headSize() + protowire.SizeTag(resScopes) + protowire.SizeVarint(uint64(scopeLen)) + scopeLen
	h := protowire.AppendTag(l.head[:0], requestResource, protowire.BytesType)
	h = protowire.AppendVarint(h, uint64(resLen))
	h = l.res.appendHead(h)
	h = protowire.AppendTag(h, resScopes, protowire.BytesType)
	h = protowire.AppendVarint(h, uint64(scopeLen))
	h = l.scope.appendHead(h)
	l.head = h
	off := room - len(h)
	copy(buf[off:room], h)
	return buf[off:]
}
