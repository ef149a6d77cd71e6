// Command testfunc is the Lambda function of Lumen's fault-matrix tests
// (package faulte2e). It runs on runtime.Start with the telemetry its
// environment selects, and every invocation feeds all three signals:
//
//	{"op":"work","seq":N}        ends a child span "faulte2e.work" with the
//	                             attribute faulte2e.seq=N, logs one INFO line
//	                             "faulte2e work" with seq=N, and answers
//	                             {"instance","pid","seq"}
//	{"op":"block","addr":"h:p"}  does the same, then connects to addr and
//	                             reads until the connection ends: the test
//	                             holds the handler in its handle phase for
//	                             as long as it wants
//
// FAULTE2E_RUNTIME_API, when set, replaces AWS_LAMBDA_RUNTIME_API before
// the runtime starts, so that a test can put a proxy between the runtime
// and the emulator's Runtime API. FAULTE2E_STDOUT names a FIFO the process's
// standard output is moved onto first, so that a test can stop reading it
// (a blocked stdout). On SIGTERM the runtime's callback writes
// "faulte2e: SIGTERM pid=<pid>" to standard error, then, with
// FAULTE2E_HANG set, never returns: a runtime that does not exit, which the
// emulator kills at its deadline.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"syscall"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"

	// The exporters a test may select through the environment.
	_ "github.com/lumen-rt/lumen/exporters/otlpgrpc"
	_ "github.com/lumen-rt/lumen/exporters/pushgateway"
	_ "github.com/lumen-rt/lumen/exporters/remotewrite"
	"github.com/lumen-rt/lumen/runtime"
)

// Event is what the tests send.
type Event struct {
	Op   string `json:"op"`
	Seq  int    `json:"seq"`
	Addr string `json:"addr,omitempty"`
}

// Reply is what the function answers.
type Reply struct {
	Instance string `json:"instance"`
	PID      int    `json:"pid"`
	Seq      int    `json:"seq"`
}

var instance = newInstanceID()

func newInstanceID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func handle(ctx context.Context, ev Event) (*Reply, error) {
	switch ev.Op {
	case "work", "block":
	default:
		return nil, errors.New("unknown op " + ev.Op)
	}
	_, span := otel.Tracer("faulte2e").Start(ctx, "faulte2e.work")
	span.SetAttributes(attribute.Int("faulte2e.seq", ev.Seq))
	span.End()
	slog.InfoContext(ctx, "faulte2e work", "seq", ev.Seq)
	if ev.Op == "block" {
		if err := block(ctx, ev.Addr); err != nil {
			return nil, err
		}
	}
	return &Reply{Instance: instance, PID: os.Getpid(), Seq: ev.Seq}, nil
}

// block holds the handler until the test ends the connection to addr.
func block(ctx context.Context, addr string) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = io.Copy(io.Discard, c)
	return err
}

// redirectStdout moves file descriptor 1 onto the FIFO at path.
func redirectStdout(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return syscall.Dup2(int(f.Fd()), 1)
}

func main() {
	if api := os.Getenv("FAULTE2E_RUNTIME_API"); api != "" {
		_ = os.Setenv("AWS_LAMBDA_RUNTIME_API", api)
	}
	if path := os.Getenv("FAULTE2E_STDOUT"); path != "" {
		if err := redirectStdout(path); err != nil {
			fmt.Fprintf(os.Stderr, "faulte2e: stdout to %s: %v\n", path, err)
			os.Exit(2)
		}
	}
	runtime.StartWithOptions(handle, runtime.WithEnableSIGTERM(func() {
		fmt.Fprintf(os.Stderr, "faulte2e: SIGTERM pid=%d\n", os.Getpid())
		if os.Getenv("FAULTE2E_HANG") != "" {
			select {}
		}
	}))
}
