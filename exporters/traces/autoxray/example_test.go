package autoxray_test

import (
	"context"
	"fmt"
	"os"

	"go.opentelemetry.io/contrib/exporters/autoexport"

	_ "github.com/lumen-rt/lumen/exporters/traces/autoxray"
	"github.com/lumen-rt/lumen/exporters/xray"
)

// With the package imported, autoexport knows "xray".
func Example() {
	os.Setenv("OTEL_TRACES_EXPORTER", "xray")
	defer os.Unsetenv("OTEL_TRACES_EXPORTER")

	exp, err := autoexport.NewSpanExporter(context.Background())
	if err != nil {
		panic(err)
	}
	defer exp.Shutdown(context.Background())
	_, ok := exp.(*xray.Exporter)
	fmt.Println(ok)
	// Output: true
}
