package runtime

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/aws/aws-lambda-go/lambda/messages"
)

// ErrorDocument is the body Lumen posts to /invocation/{id}/error and
// /runtime/init/error: {"errorMessage","errorType","stackTrace"}. It is
// aws-lambda-go's messages.InvokeResponse_Error, so a handler that returns
// one controls every field, as it does with aws-lambda-go.
type ErrorDocument = messages.InvokeResponse_Error

// StackFrame is one frame of an [ErrorDocument]'s stack trace.
type StackFrame = messages.InvokeResponse_Error_StackFrame

// Lambda-Runtime-Function-Error-Type values the runtime itself produces.
// Handler errors are typed Function.<Go type name>.
const (
	ErrorTypeUnmarshal            = "Runtime.UnmarshalError"
	ErrorTypeMarshal              = "Runtime.MarshalError"
	ErrorTypeInvalidHandler       = "Runtime.InvalidHandler"
	ErrorTypeInvalidConfig        = "Runtime.InvalidConfiguration"
	ErrorTypeInvalidDeadline      = "Runtime.InvalidDeadline"
	ErrorTypeInvalidClientContext = "Runtime.InvalidClientContext"
	ErrorTypeInvalidIdentity      = "Runtime.InvalidCognitoIdentity"
	ErrorTypeResponseTooLarge     = "Function.ResponseSizeTooLarge"
	ErrorTypePanic                = "Function.Panic"
	ErrorTypeSetup                = "Function.SetupError"
	ErrorTypeSetupPanic           = "Function.SetupPanic"
	ErrorTypeUnknown              = "Function.Unknown"
)

// failure is an invocation or init error ready to post: the document, the
// typed header value, and whether the process must exit afterwards.
type failure struct {
	doc        ErrorDocument
	headerType string
	cause      error // the original error, for callers that inspect it
}

// typedError is implemented by the runtime's own errors, which carry their
// Lambda error type.
type typedError interface {
	error
	lambdaErrorType() string
}

func (e *InvalidHandlerError) lambdaErrorType() string { return ErrorTypeInvalidHandler }
func (e *UnmarshalError) lambdaErrorType() string      { return ErrorTypeUnmarshal }
func (e *MarshalError) lambdaErrorType() string        { return ErrorTypeMarshal }
func (e *HeaderError) lambdaErrorType() string         { return e.Type }
func (e *ConfigError) lambdaErrorType() string         { return ErrorTypeInvalidConfig }
func (e *ResponseTooLargeError) lambdaErrorType() string {
	return ErrorTypeResponseTooLarge
}

// newFailure shapes err as aws-lambda-go shapes it: errorType is the Go type
// name (without the pointer) unless err is an ErrorDocument or one of the
// runtime's typed errors.
func newFailure(err error) failure {
	var doc ErrorDocument
	if errors.As(err, &doc) {
		return failure{doc: doc, headerType: toHeaderErrorType(doc.Type), cause: err}
	}
	var te typedError
	if errors.As(err, &te) {
		t := te.lambdaErrorType()
		return failure{doc: ErrorDocument{Message: err.Error(), Type: t}, headerType: t, cause: err}
	}
	name := typeName(err)
	return failure{doc: ErrorDocument{Message: err.Error(), Type: name}, headerType: toHeaderErrorType(name), cause: err}
}

// newPanicFailure reports a recovered panic with its stack.
func newPanicFailure(value any, stack []*StackFrame) failure {
	if doc, ok := value.(ErrorDocument); ok {
		return failure{doc: doc, headerType: toHeaderErrorType(doc.Type), cause: &PanicError{Value: value, Stack: stack}}
	}
	return failure{
		doc:        ErrorDocument{Message: fmt.Sprintf("%v", value), Type: typeName(value), StackTrace: stack, ShouldExit: true},
		headerType: ErrorTypePanic,
		cause:      &PanicError{Value: value, Stack: stack},
	}
}

// typeName is aws-lambda-go's errorType: the dynamic type's name without
// the pointer.
func typeName(v any) string {
	t := reflect.TypeOf(v)
	if t == nil {
		return "nil"
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// toHeaderErrorType turns an errorType into a valid
// Lambda-Runtime-Function-Error-Type, which Lambda accepts only as
// (Runtime|Function).[A-Z][a-zA-Z]+: values already in that form pass;
// others become Function.<Name> with the name's letters, first upper-cased.
func toHeaderErrorType(errorType string) string {
	if validHeaderErrorType(errorType) {
		return errorType
	}
	if i := strings.LastIndexByte(errorType, '.'); i >= 0 {
		errorType = errorType[i+1:]
	}
	var b strings.Builder
	b.Grow(len("Function.") + len(errorType))
	b.WriteString("Function.")
	for _, r := range errorType {
		switch {
		case r >= 'a' && r <= 'z':
			if b.Len() == len("Function.") {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		}
	}
	// Lambda wants at least two letters after the prefix.
	if b.Len() < len("Function.")+2 {
		return ErrorTypeUnknown
	}
	return b.String()
}

func validHeaderErrorType(s string) bool {
	rest, ok := strings.CutPrefix(s, "Runtime.")
	if !ok {
		rest, ok = strings.CutPrefix(s, "Function.")
	}
	if !ok || len(rest) < 2 || rest[0] < 'A' || rest[0] > 'Z' {
		return false
	}
	for i := 1; i < len(rest); i++ {
		c := rest[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// PanicError is returned by [Run] after a handler panicked: the panic was
// reported to Lambda with its stack and the flush point ran; the process is
// expected to exit, as aws-lambda-go's does.
type PanicError struct {
	Value any
	Stack []*StackFrame
}

func (e *PanicError) Error() string { return fmt.Sprintf("handler panicked: %v", e.Value) }

// ResponseTooLargeError reports a response over Lambda's size limit. The
// invocation fails with Function.ResponseSizeTooLarge; the runtime keeps
// serving. Either the runtime refused to upload it (Limit is the configured
// limit) or the Runtime API rejected it with 413 (Err is that *APIError).
type ResponseTooLargeError struct {
	Size  int // bytes
	Limit int // the runtime's limit; 0 when the Runtime API rejected the response
	Err   error
}

func (e *ResponseTooLargeError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("response of %d bytes rejected as too large: %v", e.Size, e.Err)
	}
	return fmt.Sprintf("response of %d bytes exceeds Lambda's limit of %d bytes", e.Size, e.Limit)
}

// Unwrap returns the Runtime API's refusal, if any.
func (e *ResponseTooLargeError) Unwrap() error { return e.Err }

// InitError is returned by [Run] when initialisation failed: an invalid
// handler, invalid configuration or a failing [WithSetup] hook. It was
// posted to /runtime/init/error with Type as
// Lambda-Runtime-Function-Error-Type.
type InitError struct {
	Type string
	Err  error
}

func (e *InitError) Error() string { return fmt.Sprintf("init failed (%s): %v", e.Type, e.Err) }

// Unwrap returns the cause.
func (e *InitError) Unwrap() error { return e.Err }
