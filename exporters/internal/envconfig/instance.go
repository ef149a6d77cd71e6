package envconfig

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"sync"
)

// Variables read by [Instance] and [Job].
const (
	// EnvInstance overrides the execution environment's id.
	EnvInstance = "LUMEN_METRICS_INSTANCE"
	// EnvLogStream is Lambda's log stream, one per execution environment:
	// "2026/11/29/[$LATEST]<32 hex digits>".
	EnvLogStream = "AWS_LAMBDA_LOG_STREAM_NAME"
	// EnvInitType is "snap-start" in environments restored from a snapshot.
	EnvInitType = "AWS_LAMBDA_INITIALIZATION_TYPE"
	// EnvFunctionName is the function's name.
	EnvFunctionName = "AWS_LAMBDA_FUNCTION_NAME"
)

// DefaultJob is the job name outside Lambda.
const DefaultJob = "lumen"

// Instance returns the execution environment's id as the environment gives
// it: LUMEN_METRICS_INSTANCE, else the part of AWS_LAMBDA_LOG_STREAM_NAME
// after its last "]" (the whole name when that part is empty). It returns ""
// when the id must be drawn at random ([ID] does): outside Lambda, and under
// SnapStart (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start), where every copy
// restored from one snapshot shares the variables captured at init.
func Instance(getenv func(string) string) string {
	if id := getenv(EnvInstance); id != "" {
		return id
	}
	if getenv(EnvInitType) == "snap-start" {
		return ""
	}
	stream := getenv(EnvLogStream)
	if i := strings.LastIndexByte(stream, ']'); i >= 0 && i+1 < len(stream) {
		return stream[i+1:]
	}
	return stream
}

// RandomID returns 16 random hex digits.
func RandomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails.
	return hex.EncodeToString(b[:])
}

// ID is an execution environment's id, fixed at the first call of Get: the
// configured id, or a random one drawn then, so that copies restored from
// one SnapStart snapshot each draw their own. The zero value draws at
// random. It is safe for concurrent use.
type ID struct {
	once sync.Once
	// Configured is the id to use, if any (an option, or [Instance]). Set
	// it before the first Get.
	Configured string
	id         string
}

// Get returns the id, drawing it on the first call when none is
// configured.
func (i *ID) Get() string {
	i.once.Do(func() {
		i.id = i.Configured
		if i.id == "" {
			i.id = RandomID()
		}
	})
	return i.id
}

// Job returns job when it is set, else AWS_LAMBDA_FUNCTION_NAME, else
// [DefaultJob].
func Job(getenv func(string) string, job string) string {
	if job != "" {
		return job
	}
	if job = getenv(EnvFunctionName); job != "" {
		return job
	}
	return DefaultJob
}
