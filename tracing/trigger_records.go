package tracing

import (
	"bytes"
	"net/url"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

var (
	opProcess     = semconv.MessagingOperationTypeProcess
	opNameProcess = semconv.MessagingOperationName("process")
)

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
		if h := field(attrs, "AWSTraceHeader"); h != nil {
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

// classifyDynamoDB builds the CONSUMER event of a DynamoDB Streams batch.
func classifyDynamoDB(records []byte) Event {
	var table, op same
	elements(records, func(rec []byte) bool {
		members(rec, func(k, v []byte) bool {
			switch string(k) {
			case "eventSourceARN":
				table.add(arnResource(v))
			case "eventName":
				op.add(v)
			}
			return true
		})
		return true
	})
	ev := Event{
		Trigger:    TriggerDatasource,
		Source:     SourceDynamoDB,
		Kind:       trace.SpanKindConsumer,
		Attributes: make([]attribute.KeyValue, 0, 4),
	}
	ev.Attributes = append(ev.Attributes, triggerDatasource)
	// The resource of a stream ARN is table/<name>/stream/<label>.
	if _, rest, ok := bytes.Cut(table.value(), []byte("/")); ok {
		name, _, _ := bytes.Cut(rest, []byte("/"))
		if len(name) > 0 {
			s := string(name)
			ev.Attributes = append(ev.Attributes, semconv.FaaSDocumentCollection(s), semconv.AWSDynamoDBTableNames(s))
		}
	}
	switch o := op.value(); {
	case strIs(o, "INSERT"):
		ev.Attributes = append(ev.Attributes, semconv.FaaSDocumentOperationInsert)
	case strIs(o, "MODIFY"):
		ev.Attributes = append(ev.Attributes, semconv.FaaSDocumentOperationEdit)
	case strIs(o, "REMOVE"):
		ev.Attributes = append(ev.Attributes, semconv.FaaSDocumentOperationDelete)
	}
	return ev
}

// classifyS3 builds the event of an S3 notification.
func classifyS3(records []byte) Event {
	var (
		n                int
		bucket, op       same
		key, eventTime   []byte
		created, removed = []byte(`"ObjectCreated:`), []byte(`"ObjectRemoved:`)
	)
	elements(records, func(rec []byte) bool {
		n++
		var s3 []byte
		members(rec, func(k, v []byte) bool {
			switch string(k) {
			case "eventName":
				switch {
				case bytes.HasPrefix(v, created):
					op.add(created)
				case bytes.HasPrefix(v, removed):
					op.add(removed)
				default:
					op.add(v)
				}
			case "eventTime":
				eventTime = v
			case "s3":
				s3 = v
			}
			return true
		})
		bucket.add(field(field(s3, "bucket"), "name"))
		key = field(field(s3, "object"), "key")
		return true
	})
	ev := Event{
		Trigger:    TriggerDatasource,
		Source:     SourceS3,
		Kind:       trace.SpanKindServer,
		Attributes: make([]attribute.KeyValue, 0, 7),
	}
	ev.Attributes = append(ev.Attributes, triggerDatasource)
	if b := str(bucket.value()); b != "" {
		ev.Attributes = append(ev.Attributes, semconv.FaaSDocumentCollection(b), semconv.AWSS3Bucket(b))
	}
	switch o := op.value(); {
	case bytes.Equal(o, created):
		ev.Attributes = append(ev.Attributes, semconv.FaaSDocumentOperationInsert)
	case bytes.Equal(o, removed):
		ev.Attributes = append(ev.Attributes, semconv.FaaSDocumentOperationDelete)
	}
	if n == 1 {
		// Keys arrive URL-encoded ("my+photo.jpg").
		if k := str(key); k != "" {
			if dec, err := url.QueryUnescape(k); err == nil {
				k = dec
			}
			ev.Attributes = append(ev.Attributes, semconv.FaaSDocumentName(k), semconv.AWSS3Key(k))
		}
		if t := str(eventTime); t != "" {
			ev.Attributes = append(ev.Attributes, semconv.FaaSDocumentTime(t))
		}
	}
	return ev
}

// classifyEventBridge handles EventBridge events: "Scheduled Event" is a
// timer, everything else pubsub.
func classifyEventBridge(t *topLevel) Event {
	if strIs(t.detailType, "Scheduled Event") {
		ev := Event{
			Trigger:    TriggerTimer,
			Source:     SourceSchedule,
			Kind:       trace.SpanKindServer,
			Attributes: make([]attribute.KeyValue, 0, 2),
		}
		ev.Attributes = append(ev.Attributes, triggerTimer)
		if tm := str(t.time); tm != "" {
			ev.Attributes = append(ev.Attributes, semconv.FaaSTime(tm))
		}
		return ev
	}
	ev := Event{
		Trigger:    TriggerPubSub,
		Source:     SourceEventBridge,
		Kind:       trace.SpanKindServer,
		Attributes: make([]attribute.KeyValue, 0, 4),
	}
	ev.Attributes = append(ev.Attributes, triggerPubSub, opProcess, opNameProcess)
	if id := str(t.id); id != "" {
		ev.Attributes = append(ev.Attributes, semconv.MessagingMessageID(id))
	}
	return ev
}

// batchAttrs adds messaging.batch.message_count for a batch of n > 1
// messages, or messaging.message.id for a single one.
func batchAttrs(ev Event, n int, id []byte) Event {
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
	h, err := ParseHeader(s)
	if err != nil {
		return trace.SpanContext{}
	}
	return h.SpanContext()
}
