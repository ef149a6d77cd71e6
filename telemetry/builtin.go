package telemetry

// The exporters every function has: linking them registers them under
// their names, exactly as a function's import registers an optional one
// (the Pushgateway, remote write, OTLP over gRPC).
import (
	_ "github.com/lumen-rt/lumen/exporters/console"
	_ "github.com/lumen-rt/lumen/exporters/emf"
	_ "github.com/lumen-rt/lumen/exporters/otlp"
	_ "github.com/lumen-rt/lumen/exporters/promhttp"
	_ "github.com/lumen-rt/lumen/exporters/xray"
)
