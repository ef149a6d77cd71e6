package dashboards_test

import (
	"fmt"

	"github.com/lumen-rt/lumen/dashboards"
)

// All builds the bundled dashboards; cmd/gen writes them with Marshal.
func ExampleAll() {
	boards, err := dashboards.All()
	if err != nil {
		panic(err)
	}
	for _, b := range boards {
		fmt.Println(b.File, *b.Dashboard.Uid)
	}
	// Output:
	// function-overview.json lumen-function-overview
	// runtime-internals.json lumen-runtime-internals
	// errors.json lumen-errors
}

// Expand turns a panel's query into the PromQL Grafana sends.
func ExampleExpand() {
	q := `sum(rate(faas_invocations_total{faas_name=~"$function"}[$__rate_interval]))`
	fmt.Println(dashboards.Expand(q, map[string]string{"function": "orders", "__rate_interval": "1m"}))
	// Output:
	// sum(rate(faas_invocations_total{faas_name=~"orders"}[1m]))
}

// IncreaseWithBirths counts what new execution environments did in their
// first flush too.
func ExampleIncreaseWithBirths() {
	fmt.Println(dashboards.IncreaseWithBirths(`faas_coldstarts_total`, "1h"))
	// Output:
	// (increase(faas_coldstarts_total[1h]) and faas_coldstarts_total offset 1h) or (last_over_time(faas_coldstarts_total[1h]) unless faas_coldstarts_total offset 1h)
}
