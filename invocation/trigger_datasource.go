package invocation

import (
	"bytes"
	"net/url"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// This file holds the datasource triggers, DynamoDB Streams and S3, and
// EventBridge (pubsub, or timer for schedules).

// classifyDynamoDB builds the CONSUMER event of a DynamoDB Streams batch.
func classifyDynamoDB(records []byte) Event {
	var table, op same
	n := 0
	elements(records, func(rec []byte) bool {
		n++
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
		BatchSize:  n,
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
