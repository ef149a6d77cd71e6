package platform_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/platform"
)

// The subscription is what the Telemetry API reference asks for: PUT
// /2022-07-01/telemetry with the extension's identifier, schema
// 2025-01-29, platform events only, the OpenTelemetry layer's buffering,
// and an HTTP destination on sandbox.localdomain at the listener's port.
func TestSubscribeRequest(t *testing.T) {
	tests := []struct {
		name      string
		opts      []platform.Option
		schema    string
		types     []string
		buffering [3]int
	}{
		{name: "defaults", schema: "2025-01-29", types: []string{"platform"}, buffering: [3]int{1000, 262144, 25}},
		{
			name: "options",
			opts: []platform.Option{
				platform.WithSchemaVersion(platform.SchemaVersion20221213),
				platform.WithBuffering(2000, 1<<20, 100*time.Millisecond),
				platform.WithLogs(func(platform.Log) {}),
			},
			schema: "2022-12-13", types: []string{"platform", "function", "extension"}, buffering: [3]int{2000, 1 << 20, 100},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, api := subscribed(t, tt.opts...)
			subs := api.subscriptions()
			require.Len(t, subs, 1)
			s := subs[0]
			require.Equal(t, "PUT /2022-07-01/telemetry", s.Path)
			require.Equal(t, "ext-id", s.ExtensionID)
			require.Equal(t, tt.schema, s.Body.SchemaVersion)
			require.Equal(t, tt.types, s.Body.Types)
			require.Equal(t, tt.buffering, [3]int{s.Body.Buffering.MaxItems, s.Body.Buffering.MaxBytes, s.Body.Buffering.TimeoutMs})
			require.Equal(t, "HTTP", s.Body.Destination.Protocol)
			u, err := url.Parse(s.Body.Destination.URI)
			require.NoError(t, err)
			require.Equal(t, platform.DestinationHost, u.Hostname())
			require.Equal(t, http.StatusOK, api.deliver([]byte(`[]`)), "the listener answers at the port named")
		})
	}
}

// Where the Telemetry API is a stub (the emulator's classic mode) or
// refuses, Subscribe says so once, without retrying, closes its listener,
// and the Platform stays inert.
func TestSubscribeRefused(t *testing.T) {
	tests := []struct {
		name         string
		status       int
		body         string
		notSupported bool
		wantType     string
	}{
		{
			name: "classic emulator", status: http.StatusAccepted, notSupported: true, wantType: "Telemetry.NotSupported",
			body: string(readBatch(t, "emulator/classic-subscribe-answer.json")),
		},
		{
			name: "subscriptions closed", status: http.StatusForbidden, wantType: "Telemetry.SubscriptionClosed",
			body: `{"errorMessage":"Telemetry API subscription is closed already","errorType":"Telemetry.SubscriptionClosed"}`,
		},
		{name: "no JSON", status: http.StatusInternalServerError, body: `oops`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newTelemetryAPI(t, tt.status, tt.body)
			s := &sink{}
			p := platform.New(platform.WithListenAddress("127.0.0.1:0"), platform.WithMetricsSink(s))
			err := p.Subscribe(t.Context(), api.addr(), "ext-id", nil)
			require.Error(t, err)
			require.Equal(t, tt.notSupported, errors.Is(err, platform.ErrNotSupported))
			var apiErr *platform.APIError
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, tt.status, apiErr.StatusCode)
			require.Equal(t, tt.wantType, apiErr.Type)
			require.Len(t, api.subscriptions(), 1, "no retry")

			// The listener is gone.
			u, _ := url.Parse(api.subscriptions()[0].Body.Destination.URI)
			conn, dialErr := net.DialTimeout("tcp", "127.0.0.1:"+u.Port(), time.Second)
			if dialErr == nil {
				conn.Close()
			}
			require.Error(t, dialErr)

			require.NoError(t, p.ForceFlush(t.Context()))
			p.Started("r", invocation.TriggerHTTP, trace.SpanContext{})
			require.NoError(t, p.Shutdown(t.Context()))
			require.Zero(t, p.Stats())
		})
	}
}

// Invalid options, a second subscription and one after Shutdown are
// errors, and nothing is sent.
func TestSubscribeErrors(t *testing.T) {
	api := newTelemetryAPI(t, http.StatusOK, `"OK"`)
	for _, opt := range []platform.Option{
		platform.WithSchemaVersion("2022-07-01"),
		platform.WithBuffering(999, 262144, 25*time.Millisecond),
		platform.WithBuffering(1000, 1<<21, 25*time.Millisecond),
		platform.WithBuffering(1000, 262144, 10*time.Millisecond),
		platform.WithBuffering(1000, 262144, 25500*time.Microsecond),
		platform.WithQueueSize(0),
		platform.WithTrackedInvocations(-1),
	} {
		p := platform.New(opt)
		require.ErrorIs(t, p.Subscribe(t.Context(), api.addr(), "id", nil), platform.ErrInvalidOption)
	}
	require.Empty(t, api.subscriptions())

	p, _ := subscribed(t)
	require.Error(t, p.Subscribe(t.Context(), api.addr(), "id", nil), "a second subscription")
	require.NoError(t, p.Shutdown(t.Context()))
	require.ErrorIs(t, p.Subscribe(t.Context(), api.addr(), "id", nil), platform.ErrShutdown)
	require.Empty(t, api.subscriptions())

	q := platform.New(platform.WithListenAddress("127.0.0.1:0"))
	require.Error(t, q.Subscribe(t.Context(), "127.0.0.1:1", "id", nil), "no Runtime API")
}

// The default listen address is sandbox.localdomain, as in Lambda; where
// that name does not resolve (the emulator, a laptop) the listener binds
// 127.0.0.1, where the emulator delivers.
func TestSubscribeDefaultListenAddress(t *testing.T) {
	if _, err := net.DefaultResolver.LookupHost(t.Context(), platform.DestinationHost); err == nil {
		t.Skip(platform.DestinationHost + " resolves here: the listener binds it, as in Lambda")
	}
	api := newTelemetryAPI(t, http.StatusOK, `"OK"`)
	p := platform.New()
	require.NoError(t, p.Subscribe(t.Context(), api.addr(), "ext-id", nil))
	defer func() { require.NoError(t, p.Shutdown(context.Background())) }()
	require.Equal(t, http.StatusOK, api.deliver([]byte(`[]`)))

	explicit := platform.New(platform.WithListenAddress(platform.DefaultListenAddress))
	require.Error(t, explicit.Subscribe(t.Context(), api.addr(), "ext-id", nil), "an address set is used as it is")
}

// The listener reads POSTed batches, answers 200 also to what it cannot
// read (Lambda would only send it again), and refuses other methods and
// oversized bodies.
func TestListenerAnswers(t *testing.T) {
	e := &errs{}
	p, api := subscribed(t, platform.WithErrorHandler(e.handle), platform.WithBuffering(1000, 262144, 25*time.Millisecond))
	require.Equal(t, http.StatusOK, api.deliver(readBatch(t, "docs/report.json")))
	require.Equal(t, http.StatusOK, api.deliver([]byte(`not json`)))
	require.Len(t, e.all(), 1)
	require.ErrorIs(t, e.all()[0], platform.ErrMalformed)

	u, _ := url.Parse(api.subscriptions()[0].Body.Destination.URI)
	target := "http://127.0.0.1:" + u.Port() + "/"
	resp, err := http.Get(target)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)

	huge := make([]byte, 2*262144+1<<20+1)
	require.Equal(t, http.StatusRequestEntityTooLarge, api.deliver(huge))

	st := p.Stats()
	require.Equal(t, uint64(3), st.Batches)
	require.Equal(t, uint64(1), st.Events)
	require.Equal(t, uint64(2), st.Malformed)
	require.Len(t, e.all(), 2, "the oversized body is reported too")
	// A graceful shutdown waits for the connection the refusal closes.
	require.NoError(t, p.Shutdown(t.Context()))
}
