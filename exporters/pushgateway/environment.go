package pushgateway

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// environmentID derives the execution environment's id from Lambda's
// variables: the part of AWS_LAMBDA_LOG_STREAM_NAME after its last "]", or
// the whole name when that part is empty. It returns "" when the id must be
// drawn at random: outside Lambda, and under SnapStart, where restored copies
// share the variables captured at init.
func environmentID(getenv func(string) string) string {
	if getenv("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start" {
		return ""
	}
	stream := getenv("AWS_LAMBDA_LOG_STREAM_NAME")
	if i := strings.LastIndexByte(stream, ']'); i >= 0 && i+1 < len(stream) {
		return stream[i+1:]
	}
	return stream
}

// randomID returns 16 random hex digits.
func randomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails.
	return hex.EncodeToString(b[:])
}
