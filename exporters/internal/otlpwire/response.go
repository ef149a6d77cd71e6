package otlpwire

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// Fields of Export{Trace,Metrics,Logs}ServiceResponse and of their
// Export*PartialSuccess.
const (
	responsePartialSuccess protowire.Number = 1
	partialRejected        protowire.Number = 1
	partialMessage         protowire.Number = 2
)

// PartialSuccess decodes the body of an Export*ServiceResponse (the three
// have the same shape) and returns the number of items its partial_success
// rejected and its error message. An empty body is a full success.
func PartialSuccess(body []byte) (rejected int64, message string, err error) {
	err = eachField(body, func(num protowire.Number, typ protowire.Type, v []byte) error {
		if num != responsePartialSuccess || typ != protowire.BytesType {
			return nil
		}
		return eachField(v, func(num protowire.Number, typ protowire.Type, v []byte) error {
			switch {
			case num == partialRejected && typ == protowire.VarintType:
				x, _ := protowire.ConsumeVarint(v)
				rejected = int64(x) //nolint:gosec // int64 is encoded as its two's complement.
			case num == partialMessage && typ == protowire.BytesType:
				message = string(v)
			}
			return nil
		})
	})
	if err != nil {
		return 0, "", err
	}
	return rejected, message, nil
}

// eachField calls f with each field of the message body b: its number, its
// wire type and its value (the contents of a length-delimited field, the
// raw bytes of the others).
func eachField(b []byte, f func(protowire.Number, protowire.Type, []byte) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("malformed protobuf tag: %w", protowire.ParseError(n))
		}
		b = b[n:]
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			return fmt.Errorf("malformed protobuf field %d: %w", num, protowire.ParseError(m))
		}
		v := b[:m]
		if typ == protowire.BytesType {
			v, _ = protowire.ConsumeBytes(v)
		}
		if err := f(num, typ, v); err != nil {
			return err
		}
		b = b[m:]
	}
	return nil
}

// statusMessageField is the message field of google.rpc.Status, the body of
// an OTLP/HTTP error answer.
const statusMessageField protowire.Number = 2

// StatusMessage decodes a google.rpc.Status body and returns its message.
func StatusMessage(body []byte) (string, error) {
	var msg string
	err := eachField(body, func(num protowire.Number, typ protowire.Type, v []byte) error {
		if num == statusMessageField && typ == protowire.BytesType {
			msg = string(v)
		}
		return nil
	})
	return msg, err
}
