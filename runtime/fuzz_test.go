package runtime

import (
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// The fuzz targets run their seeds as ordinary tests; `make fuzz` explores
// further.

func FuzzParseDeadline(f *testing.F) {
	for _, s := range []string{"", "1700000000000", "1700000000", "-1", "7258118400000", "7258118400001",
		"999999999999", "1000000000000", " 1700000000000", "0x1", "1e12", "99999999999999999999", "+1700000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, err := parseDeadline(v)
		if err != nil {
			he, ok := errors.AsType[*HeaderError](err)
			if !ok || he.Type != ErrorTypeInvalidDeadline || he.Header != headerDeadlineMS {
				t.Fatalf("parseDeadline(%q) = %v, want a *HeaderError of type %s", v, err, ErrorTypeInvalidDeadline)
			}
			checkHeaderErrorMessage(t, err)
			return
		}
		ms, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || d.UnixMilli() != ms {
			t.Fatalf("parseDeadline(%q) = %v, not the epoch milliseconds given", v, d)
		}
		if d.Year() < 2001 || d.Year() > 2200 {
			t.Fatalf("parseDeadline(%q) accepted the implausible %v", v, d)
		}
	})
}

func FuzzParseClientContext(f *testing.F) {
	for _, s := range []string{"", "{}", "null", `{"client":{"installation_id":"i","app_title":"t"},"env":{"a":"b"},"custom":{"n":1,"s":"x","o":{"k":[1]}}}`,
		`{"client":`, `[]`, `"str"`, `{"custom":{"a":null}}`, `{"env":{"a":1}}`, "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		var cc lambdacontext.ClientContext
		err := parseClientContext(v, &cc)
		if err != nil {
			he, ok := errors.AsType[*HeaderError](err)
			if !ok || he.Type != ErrorTypeInvalidClientContext || he.Header != headerClientContext {
				t.Fatalf("parseClientContext(%q) = %v, want a *HeaderError of type %s", v, err, ErrorTypeInvalidClientContext)
			}
			checkHeaderErrorMessage(t, err)
			return
		}
		if v != "" && !json.Valid([]byte(v)) {
			t.Fatalf("parseClientContext accepted invalid JSON %q", v)
		}
	})
}

func FuzzParseCognitoIdentity(f *testing.F) {
	for _, s := range []string{"", "{}", "null", `{"cognitoIdentityId":"a","cognitoIdentityPoolId":"b"}`,
		`{"cognitoIdentityId":1}`, `not json`, `[`, `{"cognitoIdentityId":"\u0000"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		var id lambdacontext.CognitoIdentity
		err := parseCognitoIdentity(v, &id)
		if err != nil {
			he, ok := errors.AsType[*HeaderError](err)
			if !ok || he.Type != ErrorTypeInvalidIdentity || he.Header != headerCognitoIdentity {
				t.Fatalf("parseCognitoIdentity(%q) = %v, want a *HeaderError of type %s", v, err, ErrorTypeInvalidIdentity)
			}
			checkHeaderErrorMessage(t, err)
			return
		}
		if v == "" {
			if id != (lambdacontext.CognitoIdentity{}) {
				t.Fatalf("an empty header filled %+v", id)
			}
			return
		}
		if !json.Valid([]byte(v)) {
			t.Fatalf("parseCognitoIdentity accepted invalid JSON %q", v)
		}
	})
}

// checkHeaderErrorMessage: the message quotes at most 128 bytes of the value
// and stays valid UTF-8 where the value was.
func checkHeaderErrorMessage(t *testing.T, err error) {
	t.Helper()
	he, _ := errors.AsType[*HeaderError](err)
	msg := err.Error()
	if len(he.Value) > 1024 && len(msg) > 1024+len(he.Err.Error()) {
		t.Fatalf("the error message carries the whole %d-byte value", len(he.Value))
	}
}

var labels = []string{"main", "handler", "(*T).method", "func1", ""}

var lambdaErrorTypeRE = regexp.MustCompile(`^(Runtime|Function)\.[A-Z][a-zA-Z]+$`)

func FuzzToHeaderErrorType(f *testing.F) {
	for _, s := range []string{"", "errorString", "*MyErr", "Function.Foo", "Runtime.UnmarshalError", "Runtime.X",
		"Function.", "users.NotFound", "genericErr[int]", "x", "Ab", "123", "Function.foo", "Función.Ñandú",
		"Runtime.Foo.Bar", "Runtime.Foo1", "a.b.c.DeepName", "\xff\xfe", strings.Repeat("A", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := toHeaderErrorType(in)
		if !lambdaErrorTypeRE.MatchString(got) {
			t.Fatalf("toHeaderErrorType(%q) = %q, which Lambda does not accept", in, got)
		}
		if lambdaErrorTypeRE.MatchString(in) && got != in {
			t.Fatalf("toHeaderErrorType(%q) = %q changed a valid type", in, got)
		}
		if again := toHeaderErrorType(got); again != got {
			t.Fatalf("toHeaderErrorType is not idempotent: %q → %q → %q", in, got, again)
		}
	})
}

func FuzzXRayCause(f *testing.F) {
	f.Add("errorString", "boom", "main.go", uint16(3))
	f.Add("", "", "", uint16(0))
	f.Add("T", strings.Repeat("<", 70000), "a/b.go", uint16(1))
	f.Add("T", strings.Repeat("é", 40000), "", uint16(0))
	f.Add(strings.Repeat("T", 70000), "m", "p", uint16(2))
	f.Add("T", "m", strings.Repeat("/deep", 14000), uint16(3))
	f.Add("T", "m", "p", uint16(4000))
	f.Add("T\x7f", "line\nbreak\x00\x7f", "p\x7f", uint16(1))
	f.Add("T", "\xff\xfe invalid", "\xff", uint16(1))
	f.Fuzz(func(t *testing.T, errorType, msg, path string, frames uint16) {
		doc := &ErrorDocument{Type: errorType, Message: msg}
		for i := range int(frames % 4096) {
			doc.StackTrace = append(doc.StackTrace, &StackFrame{Path: path, Line: int32(i), Label: labels[i%len(labels)]})
		}
		if frames%5 == 4 {
			doc.StackTrace = append(doc.StackTrace, nil) // a user's document may hold anything
		}
		cause := xrayCauseHeader(doc)
		header := sanitizeHeaderValue(cause)
		if len(header) > maxXRayCause {
			t.Fatalf("cause of %d bytes exceeds %d", len(header), maxXRayCause)
		}
		for i := 0; i < len(header); i++ {
			if c := header[i]; (c < 0x20 && c != '\t') || c == 0x7f {
				t.Fatalf("byte %#x at %d cannot be sent in a header", c, i)
			}
		}
		if cause == "" {
			// Only a type too long to fit may drop the cause.
			if typ, _ := json.Marshal(errorType); len(typ) < maxXRayCause/2 {
				t.Fatalf("cause dropped for a %d-byte type", len(errorType))
			}
			return
		}
		var got struct {
			Exceptions []struct {
				Type    string          `json:"type"`
				Message string          `json:"message"`
				Stack   json.RawMessage `json:"stack"`
			} `json:"exceptions"`
			Paths []string `json:"paths"`
		}
		if err := json.Unmarshal([]byte(cause), &got); err != nil {
			t.Fatalf("cause is not JSON: %v", err)
		}
		if len(got.Exceptions) != 1 {
			t.Fatalf("want one exception, got %d", len(got.Exceptions))
		}
		ex := got.Exceptions[0]
		if utf8.ValidString(errorType) && ex.Type != errorType {
			t.Fatalf("type %q became %q", errorType, ex.Type)
		}
		if utf8.ValidString(msg) && ex.Message != msg {
			kept, cut := strings.CutSuffix(ex.Message, "…")
			if !cut || !strings.HasPrefix(msg, kept) {
				t.Fatalf("message is neither whole nor a marked prefix: %q", ex.Message)
			}
		}
		if len(errorType)+len(msg)+len(path)*int(frames%4096) < 1000 && ex.Message != strings.ToValidUTF8(msg, "\uFFFD") && utf8.ValidString(msg) {
			t.Fatalf("a small cause was cut")
		}
	})
}
