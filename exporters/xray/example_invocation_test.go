package xray_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters/xray"
	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/tracing"
)

// An invocation flushed at once, through tracing's flush processor, reaches
// the daemon as one datagram: the invocation subsegment with its phases
// nested.
func Example_invocation() {
	daemon, _ := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	defer daemon.Close()

	ctx := context.Background()
	exp, err := xray.New(ctx, xray.WithDaemonAddress(daemon.LocalAddr().String()))
	if err != nil {
		panic(err)
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSpanProcessor(tracing.NewFlushProcessor(exp)),
		sdktrace.WithIDGenerator(tracing.IDGenerator{}),
	)
	defer tp.Shutdown(ctx)

	h, _ := invocation.ParseXRayHeader("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
	tr := tp.Tracer("example")
	ictx, inv := tr.Start(trace.ContextWithRemoteSpanContext(ctx, h.SpanContext()), "hello")
	for _, phase := range []string{"lumen.receive", "lumen.handle", "lumen.post"} {
		_, s := tr.Start(ictx, phase)
		s.End()
	}
	inv.End()
	_ = tp.ForceFlush(ctx) // the flush point

	buf := make([]byte, xray.MaxDatagramSize)
	n, _ := daemon.Read(buf)
	var doc struct {
		Name        string `json:"name"`
		ParentID    string `json:"parent_id"`
		Subsegments []struct {
			Name string `json:"name"`
		} `json:"subsegments"`
	}
	_ = json.Unmarshal(buf[len(xray.Header):n], &doc)
	fmt.Println(doc.Name, "under", doc.ParentID)
	for _, s := range doc.Subsegments {
		fmt.Println("  ", s.Name)
	}
	// Output:
	// hello under 53995c3f42cd8ad8
	//    lumen.receive
	//    lumen.handle
	//    lumen.post
}
