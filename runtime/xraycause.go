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

// xrayCauseHeader renders the X-Ray error cause for doc, dropping stack
// frames and then shortening the message until it fits in maxXRayCause.
func xrayCauseHeader(doc *ErrorDocument) string {
	stack := doc.StackTrace
	if stack == nil {
		stack = []*StackFrame{}
	}
	msg := doc.Message
	for {
		c := xrayCause{
			WorkingDirectory: workingDirectory,
			Exceptions:       []xrayException{{Type: doc.Type, Message: msg, Stack: stack}},
			Paths:            uniquePaths(stack),
		}
		b, err := json.Marshal(c)
		if err != nil {
			return ""
		}
		if len(b) <= maxXRayCause {
			return string(b)
		}
		switch {
		case len(stack) > 0:
			stack = stack[:len(stack)/2]
		case len(msg) > 0:
			msg = truncateUTF8(msg, len(msg)-(len(b)-maxXRayCause)-len("…")) + "…"
		default:
			return ""
		}
	}
}

func uniquePaths(stack []*StackFrame) []string {
	paths := make([]string, 0, len(stack))
	seen := make(map[string]struct{}, len(stack))
	for _, f := range stack {
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
