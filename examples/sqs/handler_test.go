package main

import (
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"
)

func TestHandle(t *testing.T) {
	tests := []struct {
		name   string
		bodies map[string]string // message id → body
		failed []string
	}{
		{name: "all valid", bodies: map[string]string{"a": `{"orderId":"1","quantity":1}`, "b": `{"orderId":"2","quantity":5}`}},
		{name: "not JSON", bodies: map[string]string{"a": `{"orderId":"1","quantity":1}`, "b": `quantity=5`}, failed: []string{"b"}},
		{name: "no order id", bodies: map[string]string{"a": `{"quantity":1}`}, failed: []string{"a"}},
		{name: "negative quantity", bodies: map[string]string{"a": `{"orderId":"1","quantity":-1}`, "b": `{"orderId":"2","quantity":0}`}, failed: []string{"a", "b"}},
		{name: "empty batch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ev events.SQSEvent
			for _, id := range []string{"a", "b"} {
				if body, ok := tt.bodies[id]; ok {
					ev.Records = append(ev.Records, events.SQSMessage{MessageId: id, Body: body})
				}
			}
			resp, err := handle(t.Context(), ev)
			require.NoError(t, err, "failures are reported per message, not for the batch")
			var got []string
			for _, f := range resp.BatchItemFailures {
				got = append(got, f.ItemIdentifier)
			}
			require.Equal(t, tt.failed, got)
		})
	}
}
