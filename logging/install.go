package logging

import (
	"log/slog"
	"os"
	"reflect"
)

// Default returns a logger that writes Lambda-shaped lines to os.Stdout
// through [NewHandler](os.Stdout, opts...), configured by opts only, like
// NewHandler. It does not change slog's default logger: a runtime uses
// it for its own messages (errors at slog.LevelError, a panic or an init
// failure at [LevelFatal], lost telemetry at slog.LevelWarn) so that they
// come out in the function's format even when the function keeps its own
// default logger. Lines of several such loggers never interleave: each line
// is one Write, and an *os.File completes one Write before the next.
func Default(opts ...Option) *slog.Logger {
	return slog.New(NewHandler(os.Stdout, opts...))
}

// Install makes Default(opts...) slog's default logger and returns it. slog
// then routes the standard library's log package through it at INFO (see
// the package documentation, "Lines of the log package"); those lines, and
// slog's functions called without a context, carry the current invocation's
// fields ([SetCurrent]).
func Install(opts ...Option) *slog.Logger {
	l := Default(opts...)
	slog.SetDefault(l)
	return l
}

// Err returns the attributes Lambda's error documents use for err,
// errorType (the Go type name without package or pointer, as aws-lambda-go
// reports it) and errorMessage, inlined at the level where it is logged:
//
//	logger.Error("invoke failed", logging.Err(err))
//	{"level":"ERROR","message":"invoke failed","errorType":"PathError","errorMessage":"open x: no such file or directory",…}
//
// A nil err gives an empty attribute, which slog omits.
func Err(err error) slog.Attr {
	if err == nil {
		return slog.Attr{}
	}
	return slog.Group("",
		slog.String(ErrorTypeKey, errorType(err)),
		slog.String(ErrorMessageKey, err.Error()),
	)
}

func errorType(err error) string {
	t := reflect.TypeOf(err)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n := t.Name(); n != "" {
		return n
	}
	return t.String()
}
