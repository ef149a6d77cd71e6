package runtime

import (
	"encoding/json"
	"os"
)

// maxXRayCause is the largest Lambda-Runtime-Function-XRay-Error-Cause
// header sent; the Runtime API crops causes to 64 KiB.
const maxXRayCause = 64 << 10

type xrayException struct {
	Type    string        `json:"type"`
	Message string        `json:"message"`
	Stack   []*StackFrame `json:"stack"`
}

type xrayCause struct {
	WorkingDirectory string          `json:"working_directory"`
	Exceptions       []xrayException `json:"exceptions"`
	Paths            []string        `json:"paths"`
}

var workingDirectory, _ = os.Getwd()

// xrayCauseHeader renders the X-Ray error cause for doc within
// maxXRayCause bytes: it drops stack frames (halving) until the cause fits,
// then keeps the longest prefix of the message that fits, marked with "…".
// It returns "" when not even the type fits. Escaping only ever grows a
// string, so raw sizes bound what can fit before anything is rendered: the
// work stays proportional to the cap, not to the document.
func xrayCauseHeader(doc *ErrorDocument) string {
	if len(doc.Type) > maxXRayCause {
		return ""
	}
	stack := doc.StackTrace
	if len(doc.Type)+len(doc.Message) > maxXRayCause {
		stack = nil // the message alone is cut: no frame can fit
	}
	stack = stack[:fittingFrames(stack, maxXRayCause-len(doc.Type)-len(doc.Message))]
	if stack == nil {
		stack = []*StackFrame{}
	}
	msg := truncateUTF8(doc.Message, maxXRayCause)
	b := renderXRayCause(doc.Type, msg, stack)
	for len(b) > maxXRayCause && len(stack) > 0 {
		stack = stack[:len(stack)/2]
		b = renderXRayCause(doc.Type, msg, stack)
	}
	if len(b) <= maxXRayCause && len(msg) == len(doc.Message) {
		return string(b)
	}
	best := renderXRayCause(doc.Type, "…", stack)
	if len(best) > maxXRayCause {
		return ""
	}
	// Binary search for the longest prefix of the message that fits once
	// escaped.
	lo, hi := 0, len(msg)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if c := renderXRayCause(doc.Type, truncateUTF8(msg, mid)+"…", stack); len(c) <= maxXRayCause {
			lo, best = mid, c
		} else {
			hi = mid - 1
		}
	}
	return string(best)
}

// minFrameJSON is the smallest rendering of a frame:
// {"path":"","line":0,"label":""}, plus a comma.
const minFrameJSON = 32

// fittingFrames returns how many leading frames fit in room bytes by their
// raw size (a frame's path appears twice: in the stack and in the paths).
func fittingFrames(stack []*StackFrame, room int) int {
	for i, f := range stack {
		room -= minFrameJSON
		if f != nil {
			room -= 2*len(f.Path) + len(f.Label)
		}
		if room < 0 {
			return i
		}
	}
	return len(stack)
}

func renderXRayCause(errorType, msg string, stack []*StackFrame) []byte {
	b, _ := json.Marshal(xrayCause{
		WorkingDirectory: workingDirectory,
		Exceptions:       []xrayException{{Type: errorType, Message: msg, Stack: stack}},
		Paths:            uniquePaths(stack),
	})
	return b
}

func uniquePaths(stack []*StackFrame) []string {
	paths := make([]string, 0, len(stack))
	seen := make(map[string]struct{}, len(stack))
	for _, f := range stack {
		if f == nil {
			continue
		}
		if _, ok := seen[f.Path]; !ok {
			seen[f.Path] = struct{}{}
			paths = append(paths, f.Path)
		}
	}
	return paths
}

// truncateUTF8 cuts s to at most n bytes without splitting a rune.
func truncateUTF8(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if n >= len(s) {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
