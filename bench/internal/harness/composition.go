package harness

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// modules maps symbol-name prefixes to the part of a binary they are
// counted under; the first match wins.
var modules = []struct{ prefix, area string }{
	{"github.com/lumen-rt/lumen/bench", "the workload"},
	{"github.com/lumen-rt/lumen/", "Lumen"},
	{"github.com/aws/aws-lambda-go/", "aws-lambda-go"},
	{"github.com/aws/aws-xray-sdk-go", "aws-xray-sdk-go"},
	{"github.com/aws/aws-sdk-go", "aws-sdk-go"},
	{"go.opentelemetry.io/contrib/", "OTel contrib"},
	{"go.opentelemetry.io/otel/exporters/", "OTel exporters"},
	{"go.opentelemetry.io/otel/sdk", "OTel SDK"},
	{"go.opentelemetry.io/proto/", "OTLP protobuf types"},
	{"go.opentelemetry.io/", "OTel API"},
	{"google.golang.org/grpc", "gRPC"},
	{"google.golang.org/protobuf", "protobuf"},
	{"google.golang.org/genproto", "protobuf"},
	{"github.com/grpc-ecosystem/", "gRPC"},
	{"github.com/prometheus/", "Prometheus client"},
	{"golang.org/x/net", "golang.org/x/net"},
	{"net/http", "net/http"},
	{"crypto/", "crypto/tls (std)"},
	{"vendor/golang.org/x/crypto", "crypto/tls (std)"},
	{"runtime", "Go runtime"},
	{"internal/runtime", "Go runtime"},
	{"type:", "type descriptors"},
	{"go:", "Go tables"},
}

// Composition sums the sizes of bin's code and read-only data symbols
// (`go tool nm -size`) by the
// module or part of the standard library they belong to, largest first.
// bin must be unstripped (the Symbols build).
func Composition(ctx context.Context, bin string) ([]Share, error) {
	out, err := exec.CommandContext(ctx, "go", "tool", "nm", "-size", bin).Output()
	if err != nil {
		return nil, fmt.Errorf("harness: go tool nm %s: %w", bin, err)
	}
	var shares []Share
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		// address size type name
		f := strings.Fields(sc.Text())
		if len(f) < 4 {
			continue
		}
		// Code and read-only data only: data symbols include the
		// zero-filled ones (bss), which take no room in the file.
		size, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil || !strings.ContainsAny(f[2], "TtRr") {
			continue
		}
		shares = append(shares, Share{Name: strings.Join(f[3:], " "), Value: float64(size)})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return groupBy(shares, moduleOf), nil
}

// moduleOf is the module or part of the standard library a symbol or
// package belongs to.
func moduleOf(name string) string {
	for _, m := range modules {
		if strings.HasPrefix(name, m.prefix) {
			return m.area
		}
	}
	if first := strings.SplitN(name, "/", 2)[0]; strings.Contains(first, ".") && strings.Contains(name, "/") {
		return "other modules"
	}
	return "other standard library"
}

// GroupByModule sums shares named by package or symbol by module, largest
// first.
func GroupByModule(shares []Share) []Share { return groupBy(shares, moduleOf) }
