package runtime

import (
	"runtime"
	"strings"
)

// maxPanicFrames matches aws-lambda-go's stack depth for panics.
const maxPanicFrames = 32

// panicStack captures the stack of a recovered panic, skipping skip frames
// above the caller, in aws-lambda-go's frame format.
func panicStack(skip int) []*StackFrame {
	pcs := make([]uintptr, maxPanicFrames)
	n := runtime.Callers(skip+2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	out := make([]*StackFrame, 0, n)
	for {
		f, more := frames.Next()
		out = append(out, formatFrame(f))
		if !more {
			break
		}
	}
	return out
}

// formatFrame keeps the package-relative path and the function label, as
// aws-lambda-go reports frames.
func formatFrame(f runtime.Frame) *StackFrame {
	path, label := f.File, f.Function
	i := len(path)
	for n, g := 0, strings.Count(label, "/")+2; n < g; n++ {
		i = strings.LastIndex(path[:i], "/")
		if i == -1 {
			break
		}
	}
	path = path[i+1:]
	label = label[strings.LastIndex(label, "/")+1:]
	label = label[strings.Index(label, ".")+1:]
	return &StackFrame{Path: path, Line: int32(f.Line), Label: label}
}
