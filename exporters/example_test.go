package exporters_test

import (
	"fmt"

	"github.com/lumen-rt/lumen/exporters"
)

func ExampleDropCounterFunc() {
	var counter exporters.DropCounter = exporters.DropCounterFunc(func(exporter, signal string, items int) {
		fmt.Printf("%s lost %d %s\n", exporter, items, signal)
	})
	counter.Dropped("pushgateway", exporters.SignalMetrics, 12)
	// Output: pushgateway lost 12 metrics
}
