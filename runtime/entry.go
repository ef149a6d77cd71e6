package runtime

import (
	"context"
	"errors"
	"log/slog"
	"os"
)

// Start runs handler as the function's Lambda handler and never returns. It
// is a drop-in replacement for aws-lambda-go's lambda.Start.
//
// handler is either a value with an Invoke(context.Context, []byte) ([]byte,
// error) method, used raw without JSON, or a function taking one of
//
//	()  (TIn)  (context.Context)  (context.Context, TIn)
//
// and returning one of
//
//	()  (error)  (TOut, error)
//
// where TIn and TOut are types encoding/json can decode and encode: the twelve
// forms aws-lambda-go accepts. A TOut that is an io.Reader with no JSON form of
// its own (it fails to encode, or encodes as {}) is streamed. A handler
// returning an aws-lambda-go messages.InvokeResponse_Error chooses the error
// document's type and message itself. Unlike
// aws-lambda-go, an invalid handler is reported to Lambda as an init error
// (Runtime.InvalidHandler) and the process exits, rather than failing every
// invocation.
func Start(handler any) {
	StartWithOptions(handler)
}

// StartWithOptions is [Start] with options.
func StartWithOptions(handler any, opts ...Option) {
	ctx := context.Background()
	exit(Run(ctx, handler, withDefaults(ctx, opts)...))
}

// HandlerFunc is the set of typed handler functions [StartHandlerFunc]
// accepts, checked at compile time.
type HandlerFunc[TIn, TOut any] interface {
	~func(context.Context, TIn) (TOut, error)
}

// StartHandlerFunc is [StartWithOptions] for a handler whose signature is
// checked at compile time.
func StartHandlerFunc[TIn, TOut any, H HandlerFunc[TIn, TOut]](handler H, opts ...Option) {
	StartWithOptions((func(context.Context, TIn) (TOut, error))(handler), opts...)
}

// exitFunc is os.Exit; a variable so tests can observe exits.
var exitFunc = os.Exit

// exit ends the process the way aws-lambda-go does: non-zero after a fatal
// error or a panic, zero after an orderly shutdown.
func exit(err error) {
	if err == nil || errors.Is(err, ErrShutdown) {
		exitFunc(0)
		return
	}
	slog.Default().Error("lumen runtime exiting", "error", err)
	exitFunc(1)
}
