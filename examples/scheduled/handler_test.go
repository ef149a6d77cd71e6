package main

import (
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"
)

func TestHandle(t *testing.T) {
	late := time.Date(2026, 11, 29, 0, 4, 31, 0, time.UTC)
	tests := []struct {
		name    string
		ev      events.EventBridgeEvent
		want    Report
		wantErr bool
	}{
		{name: "a late delivery summarises the same day",
			ev:   events.EventBridgeEvent{Source: "aws.events", DetailType: "Scheduled Event", Time: late, Resources: []string{"arn:rule"}},
			want: Report{Rule: "arn:rule", ScheduledAt: late, From: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)}},
		{name: "another event", ev: events.EventBridgeEvent{Source: "com.example.orders", DetailType: "OrderPlaced"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := handle(t.Context(), tt.ev)
			if tt.wantErr {
				var ns *NotScheduledError
				require.ErrorAs(t, err, &ns)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}
