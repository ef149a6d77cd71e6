package xray_test

import (
	"bytes"
	"context"
	"fmt"
	"net"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters/xray"
	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/tracing"
)

// Spans under a Lambda trace header reach the X-Ray daemon as subsegments of
// Lambda's function segment. Here a UDP socket plays the daemon.
func Example() {
	daemon, _ := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	defer daemon.Close()

	ctx := context.Background()
	exp, err := xray.New(ctx, xray.WithDaemonAddress(daemon.LocalAddr().String()))
	if err != nil {
		panic(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp), sdktrace.WithIDGenerator(tracing.IDGenerator{}))
	defer tp.Shutdown(ctx)

	h, _ := invocation.ParseXRayHeader("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
	_, span := tp.Tracer("example").Start(trace.ContextWithRemoteSpanContext(ctx, h.SpanContext()), "hello")
	span.End()

	buf := make([]byte, xray.MaxDatagramSize)
	n, _ := daemon.Read(buf)
	doc := buf[len(xray.Header):n]
	fmt.Println(bytes.HasPrefix(buf[:n], []byte(xray.Header)))
	fmt.Println(bytes.Contains(doc, []byte(`"trace_id":"1-5759e988-bd862e3fe1be46a994272793","parent_id":"53995c3f42cd8ad8","type":"subsegment"`)))
	// Output:
	// true
	// true
}
