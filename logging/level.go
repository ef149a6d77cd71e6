package logging

import (
	"fmt"
	"log/slog"
	"strings"
)

// Lambda's log levels that slog does not define. DEBUG, INFO, WARN and ERROR
// map onto slog.LevelDebug, slog.LevelInfo, slog.LevelWarn and slog.LevelError.
const (
	// LevelTrace is Lambda's TRACE level, one step (4) below slog.LevelDebug.
	LevelTrace slog.Level = slog.LevelDebug - 4
	// LevelFatal is Lambda's FATAL level, one step (4) above slog.LevelError.
	// Logging at LevelFatal does not exit the process.
	LevelFatal slog.Level = slog.LevelError + 4
)

// ParseLevel parses one of Lambda's level names (TRACE, DEBUG, INFO, WARN,
// ERROR, FATAL), case-insensitively, as AWS_LAMBDA_LOG_LEVEL spells them.
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "TRACE":
		return LevelTrace, nil
	case "DEBUG":
		return slog.LevelDebug, nil
	case "INFO":
		return slog.LevelInfo, nil
	case "WARN":
		return slog.LevelWarn, nil
	case "ERROR":
		return slog.LevelError, nil
	case "FATAL":
		return LevelFatal, nil
	}
	return 0, fmt.Errorf("logging: unknown level %q (want TRACE, DEBUG, INFO, WARN, ERROR or FATAL)", s)
}

// LevelName returns the Lambda name of l as written in the "level" field.
// A level between two of Lambda's levels takes the name of the lower one
// (slog.LevelInfo+2 is "INFO"), so Lambda's log-level filter, which only
// knows its six names, files every line where slog's ordering puts it.
func LevelName(l slog.Level) string {
	switch {
	case l < slog.LevelDebug:
		return "TRACE"
	case l < slog.LevelInfo:
		return "DEBUG"
	case l < slog.LevelWarn:
		return "INFO"
	case l < slog.LevelError:
		return "WARN"
	case l < LevelFatal:
		return "ERROR"
	default:
		return "FATAL"
	}
}
