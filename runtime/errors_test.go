package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

// lambdaErrorType is what Lambda accepts in Lambda-Runtime-Function-Error-Type.
var lambdaErrorType = regexp.MustCompile(`^(Runtime|Function)\.[A-Z][a-zA-Z]+$`)

type myErr struct{ msg string }

func (e *myErr) Error() string { return e.msg }

type valueErr struct{}

func (valueErr) Error() string { return "value error" }

type genericErr[T any] struct{ v T }

func (e genericErr[T]) Error() string { return fmt.Sprint("generic ", e.v) }

type x struct{}

func (x) Error() string { return "one letter" }

// xrayCause is the Lambda-Runtime-Function-Xray-Error-Cause document.
type xrayCause struct {
	WorkingDirectory string `json:"working_directory"`
	Exceptions       []struct {
		Type    string               `json:"type"`
		Message string               `json:"message"`
		Stack   []runtime.StackFrame `json:"stack"`
	} `json:"exceptions"`
	Paths []string `json:"paths"`
}

func decodeCause(t *testing.T, res *runtimetest.Result) xrayCause {
	t.Helper()
	h := res.Header.Get("Lambda-Runtime-Function-Xray-Error-Cause")
	require.NotEmpty(t, h, "no X-Ray cause header")
	var c xrayCause
	require.NoError(t, json.Unmarshal([]byte(h), &c))
	require.Len(t, c.Exceptions, 1)
	return c
}

func TestReturnedErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		err        error
		wantDoc    runtime.ErrorDocument
		wantHeader string
	}{
		{name: "errors.New", err: errors.New("boom"),
			wantDoc: runtime.ErrorDocument{Message: "boom", Type: "errorString"}, wantHeader: "Function.ErrorString"},
		{name: "pointer type", err: &myErr{"mine"},
			wantDoc: runtime.ErrorDocument{Message: "mine", Type: "myErr"}, wantHeader: "Function.MyErr"},
		{name: "value type", err: valueErr{},
			wantDoc: runtime.ErrorDocument{Message: "value error", Type: "valueErr"}, wantHeader: "Function.ValueErr"},
		{name: "wrapped", err: fmt.Errorf("wrapped: %w", &myErr{"inner"}),
			wantDoc: runtime.ErrorDocument{Message: "wrapped: inner", Type: "wrapError"}, wantHeader: "Function.WrapError"},
		{name: "generic type", err: genericErr[int]{7},
			wantDoc: runtime.ErrorDocument{Message: "generic 7", Type: "genericErr[int]"}, wantHeader: "Function.GenericErrint"},
		{name: "one-letter type name", err: x{},
			wantDoc: runtime.ErrorDocument{Message: "one letter", Type: "x"}, wantHeader: runtime.ErrorTypeUnknown},
		{name: "InvokeResponse_Error with a Lambda type",
			err:        messages.InvokeResponse_Error{Message: "bad input", Type: "Function.ValidationError"},
			wantDoc:    runtime.ErrorDocument{Message: "bad input", Type: "Function.ValidationError"},
			wantHeader: "Function.ValidationError"},
		{name: "InvokeResponse_Error with a free-form type",
			err:        messages.InvokeResponse_Error{Message: "no such user", Type: "users.NotFound"},
			wantDoc:    runtime.ErrorDocument{Message: "no such user", Type: "users.NotFound"},
			wantHeader: "Function.NotFound"},
		{name: "InvokeResponse_Error with a stack",
			err: messages.InvokeResponse_Error{Message: "m", Type: "Trace1",
				StackTrace: []*messages.InvokeResponse_Error_StackFrame{{Path: "a/b.go", Line: 3, Label: "f"}}},
			wantDoc: runtime.ErrorDocument{Message: "m", Type: "Trace1",
				StackTrace: []*messages.InvokeResponse_Error_StackFrame{{Path: "a/b.go", Line: 3, Label: "f"}}},
			wantHeader: "Function.Trace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, func(context.Context) (string, error) { return "", tt.err }, nil)
			res := h.invoke(t, `{}`)
			require.Equal(t, runtimetest.EndpointError, res.Endpoint)
			require.Equal(t, "application/vnd.aws.lambda.error+json", res.ContentType)
			require.Equal(t, tt.wantDoc, errorDoc(t, res))
			require.Equal(t, tt.wantHeader, res.ErrorType)
			require.Regexp(t, lambdaErrorType, res.ErrorType)

			cause := decodeCause(t, res)
			require.Equal(t, tt.wantDoc.Type, cause.Exceptions[0].Type)
			require.Equal(t, tt.wantDoc.Message, cause.Exceptions[0].Message)
			require.NotEmpty(t, cause.WorkingDirectory)

			// A returned error never stops the loop.
			h.invoke(t, `{}`)
			require.NoError(t, h.stop(t))
		})
	}
}

func TestInvokeResponseErrorShouldExit(t *testing.T) {
	t.Parallel()
	doc := messages.InvokeResponse_Error{Message: "unrecoverable", Type: "Function.Broken", ShouldExit: true}
	h := start(t, func() error { return doc }, nil)
	res := h.invoke(t, `{}`)
	require.Equal(t, "Function.Broken", res.ErrorType)
	got := asType[messages.InvokeResponse_Error](t, h.wait(t))
	require.Equal(t, doc, got)
}

func TestXRayCauseCapped(t *testing.T) {
	t.Parallel()
	const limit = 64 << 10
	tests := []struct {
		name string
		msg  string
	}{
		{name: "plain message", msg: strings.Repeat("a", 200<<10)},
		{name: "message inflated by escaping", msg: strings.Repeat("<\x01", 50<<10)},
		{name: "multi-byte runes", msg: strings.Repeat("é漢", 40<<10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, func() error { return errors.New(tt.msg) }, nil)
			res := h.invoke(t, `{}`)
			header := res.Header.Get("Lambda-Runtime-Function-Xray-Error-Cause")
			require.LessOrEqual(t, len(header), limit)
			require.Greater(t, len(header), limit/2, "the cause kept less than half of what fits")
			cause := decodeCause(t, res)
			got := cause.Exceptions[0].Message
			require.True(t, strings.HasSuffix(got, "…"), "a cut message ends with …")
			require.True(t, strings.HasPrefix(tt.msg, strings.TrimSuffix(got, "…")), "the cause keeps a prefix of the message")
			// The error document itself keeps the whole message.
			require.Equal(t, tt.msg, errorDoc(t, res).Message)
		})
	}
}
