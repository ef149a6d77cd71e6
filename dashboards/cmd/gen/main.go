// Command gen writes Lumen's bundled Grafana dashboards as Classic-model
// JSON files, by default into dashboards/grafana/:
//
//	cd dashboards && go run ./cmd/gen
//
// The tests fail when the committed files differ from what gen writes.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/lumen-rt/lumen/dashboards"
)

func main() {
	dir := flag.String("out", "grafana", "folder to write the dashboard JSON files into")
	flag.Parse()
	if err := dashboards.Write(*dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
