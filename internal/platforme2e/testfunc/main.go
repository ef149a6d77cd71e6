// Command testfunc is the Lambda function the platform integration tests
// run under the Runtime Interface Emulator: runtime.Start as a user writes
// it, configured only by its environment. LUMEN_PLATFORM_TELEMETRY=true
// turns Lambda's platform telemetry on; the OTEL_* variables send its
// spans and metrics wherever the test points them.
//
// Every event is answered with its request id and the CPU time the process
// has used so far (user and system, in microseconds). What it does besides:
//
//	{"op":"error"}          fails with a *ValidationError whose message is
//	                        the request id
//	{"op":"sleep","ms":N}   prints "testfunc: sleeping <request id>", then
//	                        sleeps N ms, ignoring its deadline
//	{"size":N}              answers N bytes of padding more
package main

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/lumen-rt/lumen/runtime"
)

// Event is what the tests send.
type Event struct {
	Op   string `json:"op"`
	MS   int    `json:"ms"`
	Size int    `json:"size"`
}

// Reply is what the function answers.
type Reply struct {
	RequestID string `json:"requestId"`
	// CPUMicros is the process's CPU time so far, user and system.
	CPUMicros int64  `json:"cpuMicros"`
	Padding   string `json:"padding,omitempty"`
}

// ValidationError is the typed error the "error" op returns; its message is
// the request id.
type ValidationError struct{ RequestID string }

func (e *ValidationError) Error() string { return e.RequestID }

func handle(ctx context.Context, ev Event) (Reply, error) {
	lc, _ := lambdacontext.FromContext(ctx)
	switch ev.Op {
	case "error":
		return Reply{}, &ValidationError{RequestID: lc.AwsRequestID}
	case "sleep":
		fmt.Println("testfunc: sleeping", lc.AwsRequestID)
		time.Sleep(time.Duration(ev.MS) * time.Millisecond)
	}
	return Reply{RequestID: lc.AwsRequestID, CPUMicros: cpuMicros(), Padding: strings.Repeat("x", max(ev.Size, 0))}, nil
}

// cpuMicros is the CPU time the process used so far.
func cpuMicros() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return -1
	}
	return ru.Utime.Nano()/1e3 + ru.Stime.Nano()/1e3
}

func main() { runtime.Start(handle) }
