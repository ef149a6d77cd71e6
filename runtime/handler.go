package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sync"

	"github.com/aws/aws-lambda-go/lambda/handlertrace"
)

// Handler is implemented by values that handle raw invocation payloads. It is
// the same interface as aws-lambda-go's lambda.Handler, so values built with
// lambda.NewHandler work unchanged. The payload slice is only valid until
// Invoke returns.
type Handler interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// result is what a handler produced: a buffered body or a stream.
type result struct {
	body        []byte        // buffered body, when stream is nil
	buf         *bytes.Buffer // pooled backing of body, released after the post; may be nil
	stream      io.Reader     // streamed body
	contentType string
}

const (
	contentTypeJSON  = "application/json"
	contentTypeBytes = "application/octet-stream"
)

// invokeFunc is a handler adapted to the loop.
type invokeFunc func(ctx context.Context, payload []byte) (result, error)

var (
	contextType = reflect.TypeFor[context.Context]()
	errorType   = reflect.TypeFor[error]()
	bufferPool  = sync.Pool{New: func() any { return new(bytes.Buffer) }}
)

func getBuffer() *bytes.Buffer { return bufferPool.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 { // do not keep event-sized buffers alive forever
		return
	}
	b.Reset()
	bufferPool.Put(b)
}

// InvalidHandlerError reports a handler Lumen cannot call. [Run] posts it to
// /runtime/init/error as Runtime.InvalidHandler.
type InvalidHandlerError struct {
	Reason string
}

func (e *InvalidHandlerError) Error() string { return "invalid handler: " + e.Reason }

// adapt turns any accepted handler form into an invokeFunc, or explains why it
// cannot.
func adapt(handler any, c *options) (invokeFunc, error) {
	if handler == nil {
		return nil, &InvalidHandlerError{Reason: "handler is nil"}
	}
	if h, ok := handler.(Handler); ok {
		return rawHandler(h), nil
	}
	fn := reflect.ValueOf(handler)
	ft := fn.Type()
	if ft.Kind() != reflect.Func {
		return nil, &InvalidHandlerError{Reason: fmt.Sprintf("handler kind %s is not func and has no Invoke method", ft.Kind())}
	}
	takesContext, err := takesContext(ft)
	if err != nil {
		return nil, err
	}
	if err := validateReturns(ft); err != nil {
		return nil, err
	}
	return reflectHandler(fn, ft, takesContext, c), nil
}

func takesContext(ft reflect.Type) (bool, error) {
	switch ft.NumIn() {
	case 0:
		return false, nil
	case 1:
		in := ft.In(0)
		if in.Kind() != reflect.Interface || in.NumMethod() == 0 {
			return false, nil // an event, including any
		}
		if in != contextType && !(contextType.Implements(in) && in.Implements(contextType)) {
			return false, &InvalidHandlerError{Reason: fmt.Sprintf("handler takes an interface, but it is not context.Context: %s", in)}
		}
		return true, nil
	case 2:
		in := ft.In(0)
		if in.Kind() != reflect.Interface || !contextType.Implements(in) || !in.Implements(contextType) {
			return false, &InvalidHandlerError{Reason: fmt.Sprintf("handler takes two arguments, but the first is %s, not context.Context", in)}
		}
		return true, nil
	}
	return false, &InvalidHandlerError{Reason: fmt.Sprintf("handler takes %d arguments, at most two are allowed", ft.NumIn())}
}

func validateReturns(ft reflect.Type) error {
	switch n := ft.NumOut(); {
	case n > 2:
		return &InvalidHandlerError{Reason: fmt.Sprintf("handler returns %d values, at most two are allowed", n)}
	case n == 2 && !ft.Out(1).Implements(errorType):
		return &InvalidHandlerError{Reason: "handler returns two values, but the second does not implement error"}
	case n == 1 && !ft.Out(0).Implements(errorType):
		return &InvalidHandlerError{Reason: "handler returns a single value, but it does not implement error"}
	}
	return nil
}

func rawHandler(h Handler) invokeFunc {
	return func(ctx context.Context, payload []byte) (result, error) {
		out, err := h.Invoke(ctx, payload)
		if err != nil {
			return result{}, err
		}
		return result{body: out, contentType: contentTypeBytes}, nil
	}
}

// UnmarshalError reports an event that is not valid JSON for the handler's
// event type. The invocation fails with Runtime.UnmarshalError; the runtime
// keeps serving.
type UnmarshalError struct {
	Err error
}

func (e *UnmarshalError) Error() string { return "invalid event JSON: " + e.Err.Error() }

// Unwrap returns the decoder's error.
func (e *UnmarshalError) Unwrap() error { return e.Err }

// MarshalError reports a handler result that encoding/json cannot encode. The
// invocation fails with Runtime.MarshalError.
type MarshalError struct {
	Err error
}

func (e *MarshalError) Error() string {
	return "cannot encode the handler's result as JSON: " + e.Err.Error()
}

// Unwrap returns the encoder's error.
func (e *MarshalError) Unwrap() error { return e.Err }

func reflectHandler(fn reflect.Value, ft reflect.Type, withContext bool, c *options) invokeFunc {
	var eventType reflect.Type
	if n := ft.NumIn(); n == 2 || (n == 1 && !withContext) {
		eventType = ft.In(n - 1)
	}
	returnsValue := ft.NumOut() == 2
	useNumber, disallow := c.jsonUseNumber, c.jsonDisallowUnknownFields
	escapeHTML, prefix, indent := c.jsonEscapeHTML, c.jsonIndentPrefix, c.jsonIndent

	return func(ctx context.Context, payload []byte) (result, error) {
		trace := handlertrace.FromContext(ctx)
		args := make([]reflect.Value, 0, 2)
		if withContext {
			args = append(args, reflect.ValueOf(ctx))
		}
		if eventType != nil {
			event := reflect.New(eventType)
			if err := decodeEvent(payload, event.Interface(), useNumber, disallow); err != nil {
				return result{}, err
			}
			if trace.RequestEvent != nil {
				trace.RequestEvent(ctx, event.Elem().Interface())
			}
			args = append(args, event.Elem())
		}
		out := fn.Call(args)
		if len(out) > 0 {
			if err, ok := out[len(out)-1].Interface().(error); ok && err != nil {
				return result{}, err
			}
		}
		var val any
		if returnsValue {
			val = out[0].Interface()
			if trace.ResponseEvent != nil {
				trace.ResponseEvent(ctx, val)
			}
		}
		return encodeResult(val, escapeHTML, prefix, indent)
	}
}

func decodeEvent(payload []byte, into any, useNumber, disallow bool) error {
	if !useNumber && !disallow {
		if err := json.Unmarshal(payload, into); err != nil {
			return &UnmarshalError{Err: err}
		}
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	if useNumber {
		dec.UseNumber()
	}
	if disallow {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(into); err != nil {
		return &UnmarshalError{Err: err}
	}
	return nil
}

// encodeResult encodes val as aws-lambda-go does, streaming io.Readers that
// have no JSON form of their own.
func encodeResult(val any, escapeHTML bool, prefix, indent string) (result, error) {
	buf := getBuffer()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(escapeHTML)
	if prefix != "" || indent != "" {
		enc.SetIndent(prefix, indent)
	}
	reader, isReader := val.(io.Reader)
	if err := enc.Encode(val); err != nil {
		putBuffer(buf)
		if isReader {
			return streamResult(reader), nil
		}
		return result{}, &MarshalError{Err: err}
	}
	if isReader && bytes.HasPrefix(buf.Bytes(), []byte("{}")) {
		putBuffer(buf)
		return streamResult(reader), nil
	}
	if prefix == "" && indent == "" {
		buf.Truncate(buf.Len() - 1) // the encoder's newline
	}
	return result{body: buf.Bytes(), buf: buf, contentType: contentTypeJSON}, nil
}

// contentTyper is implemented by results that name their content type, such
// as aws-lambda-go's events.LambdaFunctionURLStreamingResponse.
type contentTyper interface{ ContentType() string }

func streamResult(r io.Reader) result {
	ct := contentTypeBytes
	if t, ok := r.(contentTyper); ok {
		ct = t.ContentType()
	}
	return result{stream: r, contentType: ct}
}
