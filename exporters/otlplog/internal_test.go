package otlplog

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/log"
)

// PartialSuccess mirrors the shape of the OTLP exporters' internal
// partial-success error, which rejected reads by reflection.
type PartialSuccess struct {
	ErrorMessage  string
	RejectedItems int64
	RejectedKind  string
}

func (p PartialSuccess) Error() string { return p.ErrorMessage }

func TestRejected(t *testing.T) {
	tests := []struct {
		name string
		err  error
		n    int
		want int
	}{
		{name: "plain error loses the batch", err: errors.New("connection refused"), n: 7, want: 7},
		{name: "partial success", err: PartialSuccess{RejectedItems: 2}, n: 7, want: 2},
		{name: "wrapped partial success", err: fmt.Errorf("export: %w", PartialSuccess{RejectedItems: 3}), n: 7, want: 3},
		{name: "joined partial successes", err: errors.Join(PartialSuccess{RejectedItems: 1}, PartialSuccess{RejectedItems: 2}), n: 7, want: 3},
		{name: "partial success and a failure", err: errors.Join(PartialSuccess{RejectedItems: 1}, errors.New("timeout")), n: 7, want: 7},
		{name: "more rejected than sent", err: PartialSuccess{RejectedItems: 9}, n: 7, want: 7},
		{name: "pointer", err: &PartialSuccess{RejectedItems: 4}, n: 7, want: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, rejected(tt.err, tt.n))
		})
	}
}

func TestSeverityName(t *testing.T) {
	tests := []struct {
		s    log.Severity
		want string
	}{
		{log.SeverityUndefined, ""},
		{log.SeverityTrace1, "TRACE"},
		{log.SeverityTrace4, "TRACE"},
		{log.SeverityDebug1, "DEBUG"},
		{log.SeverityInfo1, "INFO"},
		{log.SeverityInfo3, "INFO"},
		{log.SeverityWarn1, "WARN"},
		{log.SeverityError1, "ERROR"},
		{log.SeverityError4, "ERROR"},
		{log.SeverityFatal1, "FATAL"},
		{log.SeverityFatal4, "FATAL"},
	}
	for _, tt := range tests {
		t.Run(tt.s.String(), func(t *testing.T) {
			require.Equal(t, tt.want, severityName(tt.s))
		})
	}
}
