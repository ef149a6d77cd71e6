package runtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Runtime API headers.
const (
	headerRequestID       = "Lambda-Runtime-Aws-Request-Id"
	headerDeadlineMS      = "Lambda-Runtime-Deadline-Ms"
	headerFunctionARN     = "Lambda-Runtime-Invoked-Function-Arn"
	headerTraceID         = "Lambda-Runtime-Trace-Id"
	headerClientContext   = "Lambda-Runtime-Client-Context"
	headerCognitoIdentity = "Lambda-Runtime-Cognito-Identity"
	headerTenantID        = "Lambda-Runtime-Aws-Tenant-Id"
	headerErrorType       = "Lambda-Runtime-Function-Error-Type"
	headerErrorBody       = "Lambda-Runtime-Function-Error-Body"
	headerXRayErrorCause  = "Lambda-Runtime-Function-Xray-Error-Cause"
	headerResponseMode    = "Lambda-Runtime-Function-Response-Mode"
)

// HeaderError reports an invocation header the runtime cannot use. The
// invocation fails with Type (Runtime.InvalidDeadline,
// Runtime.InvalidClientContext or Runtime.InvalidCognitoIdentity) and the
// runtime keeps serving.
type HeaderError struct {
	Header string
	Value  string
	Type   string
	Err    error
}

func (e *HeaderError) Error() string {
	return fmt.Sprintf("invalid %s header %q: %v", e.Header, truncateUTF8(e.Value, 128), e.Err)
}

// Unwrap returns the parse error.
func (e *HeaderError) Unwrap() error { return e.Err }

var (
	errMissing       = errors.New("missing")
	errDeadlineRange = errors.New("not a plausible epoch time in milliseconds")
)

// parseDeadline reads Lambda-Runtime-Deadline-Ms (epoch milliseconds).
func parseDeadline(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, &HeaderError{Header: headerDeadlineMS, Type: ErrorTypeInvalidDeadline, Err: errMissing}
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, &HeaderError{Header: headerDeadlineMS, Value: v, Type: ErrorTypeInvalidDeadline, Err: err}
	}
	// Reject values that cannot be a deadline: before 2001 or after 2200.
	if ms < 1e12 || ms > 7258118400000 {
		return time.Time{}, &HeaderError{Header: headerDeadlineMS, Value: v, Type: ErrorTypeInvalidDeadline, Err: errDeadlineRange}
	}
	return time.UnixMilli(ms), nil
}

// parseClientContext reads Lambda-Runtime-Client-Context; empty is valid.
func parseClientContext(v string, out *lambdacontext.ClientContext) error {
	if v == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(v), out); err != nil {
		return &HeaderError{Header: headerClientContext, Value: v, Type: ErrorTypeInvalidClientContext, Err: err}
	}
	return nil
}

// parseCognitoIdentity reads Lambda-Runtime-Cognito-Identity; empty is valid.
func parseCognitoIdentity(v string, out *lambdacontext.CognitoIdentity) error {
	if v == "" {
		return nil
	}
	var raw struct {
		ID     string `json:"cognitoIdentityId"`
		PoolID string `json:"cognitoIdentityPoolId"`
	}
	if err := json.Unmarshal([]byte(v), &raw); err != nil {
		return &HeaderError{Header: headerCognitoIdentity, Value: v, Type: ErrorTypeInvalidIdentity, Err: err}
	}
	out.CognitoIdentityID, out.CognitoIdentityPoolID = raw.ID, raw.PoolID
	return nil
}
