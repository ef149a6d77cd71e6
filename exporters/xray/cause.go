package xray

import (
	"encoding/binary"
	"math/rand/v2"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// maxStackFrames caps the frames kept per exception.
const maxStackFrames = 50

// appendCause appends "cause":{"exceptions":[...]} built from the span's
// "exception" events or, if it has none, from an error status description.
// It appends nothing when there is neither.
func appendCause(b []byte, s sdktrace.ReadOnlySpan, withStacks bool) []byte {
	remote := s.SpanKind() == trace.SpanKindClient
	n := 0
	for _, ev := range s.Events() {
		if ev.Name != "exception" {
			continue
		}
		var typ, msg, stack string
		for _, kv := range ev.Attributes {
			switch kv.Key {
			case "exception.type":
				typ = kv.Value.AsString()
			case "exception.message":
				msg = kv.Value.AsString()
			case "exception.stacktrace":
				stack = kv.Value.AsString()
			}
		}
		if !withStacks {
			stack = ""
		}
		b = appendException(b, n, typ, msg, stack, remote)
		n++
	}
	if n == 0 && s.Status().Code == codes.Error && s.Status().Description != "" {
		b = appendException(b, n, "", s.Status().Description, "", remote)
		n++
	}
	if n > 0 {
		b = append(b, "]}"...)
	}
	return b
}

func appendException(b []byte, i int, typ, msg, stack string, remote bool) []byte {
	if i == 0 {
		b = append(b, `,"cause":{"exceptions":[`...)
	} else {
		b = append(b, ',')
	}
	b = append(b, `{"id":"`...)
	var id [8]byte
	binary.BigEndian.PutUint64(id[:], rand.Uint64()) //nolint:gosec // exception ids are not secrets
	b = appendHex(b, id[:])
	b = append(b, '"')
	if typ != "" {
		b = appendKey(b, false, "type")
		b = appendString(b, typ)
	}
	if msg != "" {
		b = appendKey(b, false, "message")
		b = appendString(b, msg)
	}
	if remote {
		b = append(b, `,"remote":true`...)
	}
	if stack != "" {
		b = appendStack(b, stack)
	}
	return append(b, '}')
}

// appendStack appends "stack":[{"path","line","label"}] parsed from a Go
// stack trace as written by runtime/debug.Stack (and by the SDK's
// RecordError with trace.WithStackTrace): a function line, then a tab and
// file:line +0xoffset, per frame. Lines it does not understand are skipped.
func appendStack(b []byte, stack string) []byte {
	var (
		label  string
		frames int
		total  int
	)
	for line := range strings.Lines(stack) {
		line = strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(line, "goroutine ") || line == "" {
			continue
		}
		if !strings.HasPrefix(line, "\t") {
			label = line
			continue
		}
		if label == "" {
			continue
		}
		loc := strings.TrimSpace(line)
		if i := strings.LastIndex(loc, " +0x"); i >= 0 {
			loc = loc[:i]
		}
		colon := strings.LastIndexByte(loc, ':')
		if colon < 0 {
			continue
		}
		ln, err := strconv.Atoi(loc[colon+1:])
		if err != nil {
			continue
		}
		total++
		if frames == maxStackFrames {
			label = ""
			continue
		}
		if frames == 0 {
			b = append(b, `,"stack":[`...)
		} else {
			b = append(b, ',')
		}
		b = append(b, `{"path":`...)
		b = appendString(b, loc[:colon])
		b = append(b, `,"line":`...)
		b = strconv.AppendInt(b, int64(ln), 10)
		b = append(b, `,"label":`...)
		b = appendString(b, label)
		b = append(b, '}')
		frames++
		label = ""
	}
	if frames > 0 {
		b = append(b, ']')
		if total > frames {
			b = append(b, `,"truncated":`...)
			b = strconv.AppendInt(b, int64(total-frames), 10)
		}
	}
	return b
}
