package invocation

import (
	"bytes"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

var (
	opProcess     = semconv.MessagingOperationTypeProcess
	opNameProcess = semconv.MessagingOperationName("process")
)

// maxLinks caps the links of an SQS batch at the SDK's default span link
// count limit: a batch holds up to 10,000 messages, and links beyond the
// limit would be built only to be dropped.
const maxLinks = 128

// same tracks whether a value is the same in every record of a batch,
// keeping the raw bytes (no copy) until the end.
type same struct {
	v            []byte
	seen, differ bool
}

func (s *same) add(v []byte) {
	switch {
	case !s.seen:
		s.v, s.seen = v, true
	case !bytes.Equal(s.v, v):
		s.differ = true
	}
}

// value returns the common value, or nil if it differs or was never seen.
func (s *same) value() []byte {
	if s.differ {
		return nil
	}
	return s.v
}

// classifyRecords handles the {"Records":[…]} events, recognised by the
// eventSource of their first record.
func classifyRecords(records []byte) (Event, bool) {
	var src []byte
	elements(records, func(rec []byte) bool {
		members(rec, func(k, v []byte) bool {
			if string(k) == "eventSource" || string(k) == "EventSource" {
				src = v
				return false
			}
			return true
		})
		return false
	})
	switch {
	case strIs(src, "aws:sqs"):
		return classifySQS(records), true
	case strIs(src, "aws:sns"):
		return classifySNS(records), true
	case strIs(src, "aws:kinesis"):
		return classifyKinesis(records), true
	case strIs(src, "aws:dynamodb"):
		return classifyDynamoDB(records), true
	case strIs(src, "aws:s3"):
		return classifyS3(records), true
	}
	return Event{}, false
}

// classifySQS builds the CONSUMER event of an SQS batch, named
// "process <queue>", with one link per message that carries an
// AWSTraceHeader system attribute.
func classifySQS(records []byte) Event {
	var (
		n     int
		queue same
		id    []byte
		links []trace.Link
	)
	elements(records, func(rec []byte) bool {
		n++
		var msgID, arn, attrs []byte
		members(rec, func(k, v []byte) bool {
			switch string(k) {
			case "messageId":
				msgID = v
			case "eventSourceARN":
				arn = v
			case "attributes":
				attrs = v
			}
			return true
		})
		queue.add(arnResource(arn))
		id = msgID
		if h := field(attrs, "AWSTraceHeader"); h != nil && len(links) < maxLinks {
			if sc := spanContextFromRaw(str(h)); sc.IsValid() {
				link := trace.Link{SpanContext: sc}
				if mid := str(msgID); mid != "" {
					link.Attributes = []attribute.KeyValue{semconv.MessagingMessageID(mid)}
				}
				links = append(links, link)
			}
		}
		return true
	})
	ev := Event{
		Trigger:    TriggerPubSub,
		Source:     SourceSQS,
		Kind:       trace.SpanKindConsumer,
		Name:       "process",
		Links:      links,
		Attributes: make([]attribute.KeyValue, 0, 6),
	}
	ev.Attributes = append(ev.Attributes, triggerPubSub, semconv.MessagingSystemAWSSQS, opProcess, opNameProcess)
	if q := queue.value(); len(q) > 0 {
		name := string(q)
		ev.Name = "process " + name
		ev.Attributes = append(ev.Attributes, semconv.MessagingDestinationName(name))
	}
	return batchAttrs(ev, n, id)
}

// classifySNS builds the event of an SNS delivery (one record in practice).
func classifySNS(records []byte) Event {
	var (
		n     int
		topic same
		id    []byte
	)
	elements(records, func(rec []byte) bool {
		n++
		var arn, msgID []byte
		members(field(rec, "Sns"), func(k, v []byte) bool {
			switch string(k) {
			case "TopicArn":
				arn = v
			case "MessageId":
				msgID = v
			}
			return true
		})
		topic.add(arn)
		id = msgID
		return true
	})
	ev := Event{
		Trigger:    TriggerPubSub,
		Source:     SourceSNS,
		Kind:       trace.SpanKindServer,
		Attributes: make([]attribute.KeyValue, 0, 7),
	}
	ev.Attributes = append(ev.Attributes, triggerPubSub, semconv.MessagingSystemAWSSNS, opProcess, opNameProcess)
	if arn := str(topic.value()); arn != "" {
		ev.Attributes = append(ev.Attributes, semconv.AWSSNSTopicARN(arn))
		if name := string(arnResource(topic.value())); name != "" {
			ev.Attributes = append(ev.Attributes, semconv.MessagingDestinationName(name))
		}
	}
	return batchAttrs(ev, n, id)
}

// classifyKinesis builds the CONSUMER event of a Kinesis batch.
func classifyKinesis(records []byte) Event {
	var (
		n      int
		stream same
	)
	elements(records, func(rec []byte) bool {
		n++
		stream.add(arnResource(field(rec, "eventSourceARN")))
		return true
	})
	ev := Event{
		Trigger:    TriggerPubSub,
		Source:     SourceKinesis,
		Kind:       trace.SpanKindConsumer,
		Attributes: make([]attribute.KeyValue, 0, 6),
	}
	ev.Attributes = append(ev.Attributes, triggerPubSub, opProcess, opNameProcess)
	// The resource of a stream ARN is stream/<name>.
	if _, name, ok := bytes.Cut(stream.value(), []byte("/")); ok && len(name) > 0 {
		s := string(name)
		ev.Attributes = append(ev.Attributes, semconv.AWSKinesisStreamName(s), semconv.MessagingDestinationName(s))
	}
	return batchAttrs(ev, n, nil)
}

// batchAttrs adds messaging.batch.message_count for a batch of n > 1
// messages, or messaging.message.id for a single one.
func batchAttrs(ev Event, n int, id []byte) Event {
	if ev.Source == SourceSQS || ev.Source == SourceKinesis || ev.Source == SourceDynamoDB {
		ev.BatchSize = n
	}
	if n > 1 {
		ev.Attributes = append(ev.Attributes, semconv.MessagingBatchMessageCount(n))
	} else if s := str(id); n == 1 && s != "" {
		ev.Attributes = append(ev.Attributes, semconv.MessagingMessageID(s))
	}
	return ev
}

// arnResource returns the resource part of a raw JSON ARN string, everything
// after the fifth colon: "my-queue" for arn:aws:sqs:us-east-1:123:my-queue.
func arnResource(raw []byte) []byte {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return nil
	}
	b := raw[1 : len(raw)-1]
	for range 5 {
		i := bytes.IndexByte(b, ':')
		if i < 0 {
			return nil
		}
		b = b[i+1:]
	}
	return b
}

// spanContextFromRaw parses an X-Ray header into its remote span context,
// without keeping the extra keys.
func spanContextFromRaw(s string) trace.SpanContext {
	h, err := ParseXRayHeader(s)
	if err != nil {
		return trace.SpanContext{}
	}
	return h.SpanContext()
}
