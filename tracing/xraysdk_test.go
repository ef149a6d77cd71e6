package tracing_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"testing"
	"time"

	"github.com/aws/aws-xray-sdk-go/xray"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/tracing"
)

// xrayDocument is the part of an X-Ray segment document the test reads.
type xrayDocument struct {
	TraceID  string `json:"trace_id"`
	ID       string `json:"id"`
	ParentID string `json:"parent_id"`
	Name     string `json:"name"`
	Type     string `json:"type"`
}

// TestXRaySDKCapture runs a handler that uses the real aws-xray-sdk-go with
// the context the runtime hands it: the subsegment it emits to the daemon
// address (a UDP listener in the daemon's place) hangs under Lambda's
// function segment, the header's Parent, in the header's trace.
func TestXRaySDKCapture(t *testing.T) {
	daemon, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = daemon.Close() })
	t.Setenv("AWS_XRAY_DAEMON_ADDRESS", daemon.LocalAddr().String())
	t.Setenv("LAMBDA_TASK_ROOT", "") // keep the SDK from touching /tmp/.aws-xray
	require.NoError(t, xray.Configure(xray.Config{DaemonAddr: daemon.LocalAddr().String()}))

	handler := func(ctx context.Context, name string) {
		require.NoError(t, xray.Capture(ctx, name, func(context.Context) error { return nil }))
	}
	invocationCtx := func(raw string) context.Context {
		h, err := invocation.ParseXRayHeader(raw)
		require.NoError(t, err)
		ctx := tracing.ContextWithRemoteParent(t.Context(), h)
		return tracing.ContextWithTraceHeader(ctx, raw)
	}

	// An unsampled invocation first: the SDK must emit nothing for it, so
	// the first datagram the daemon gets is the sampled one's.
	handler(invocationCtx("Root="+otherRoot+";Parent="+otherParent+";Sampled=0"), "unsampled call")
	handler(invocationCtx(lambdaHeader), "downstream call")

	require.NoError(t, daemon.SetReadDeadline(time.Now().Add(10*time.Second))) // a guard against a hang, not a measurement
	buf := make([]byte, 64<<10)
	n, _, err := daemon.ReadFrom(buf)
	require.NoError(t, err)

	head, body, ok := bytes.Cut(buf[:n], []byte("\n"))
	require.True(t, ok, "datagram: %s", buf[:n])
	require.JSONEq(t, `{"format":"json","version":1}`, string(head))
	var doc xrayDocument
	require.NoError(t, json.Unmarshal(body, &doc), "%s", body)
	require.Equal(t, "downstream call", doc.Name)
	require.Equal(t, "subsegment", doc.Type)
	require.Equal(t, root, doc.TraceID, "the header's Root")
	require.Equal(t, parent, doc.ParentID, "the header's Parent: Lambda's function segment")
	require.Len(t, doc.ID, 16)
}
