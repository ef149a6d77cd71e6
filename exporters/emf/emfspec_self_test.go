package emf_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The validator must accept the specification's own example and reject
// each kind of violation, or the exporter's tests prove nothing.
func TestValidator(t *testing.T) {
	const valid = `{"_aws":{"Timestamp":1574109732004,"CloudWatchMetrics":[{"Namespace":"lambda-function-metrics",` +
		`"Dimensions":[["functionVersion"]],"Metrics":[{"Name":"time","Unit":"Milliseconds"}]}]},` +
		`"functionVersion":"$LATEST","time":100,"requestId":"989ffbf8-9ace-4817-a57c-e4dd734019ee"}`
	doc, err := validateEMF([]byte(valid))
	require.NoError(t, err)
	require.InDelta(t, 100, doc.Values["time"], 0)
	require.Equal(t, "$LATEST", doc.DimValues["functionVersion"])

	tests := []struct {
		name, doc, wantErr string
	}{
		{"not JSON", `{"_aws":`, "not a JSON object"},
		{"trailing data", valid + ` {}`, "additional data"},
		{"no _aws", `{"time":1}`, "no _aws"},
		{"float timestamp", strings.Replace(valid, "1574109732004", "1574109732.5", 1), "not a non-negative integer"},
		{"no timestamp", strings.Replace(valid, `"Timestamp":1574109732004,`, "", 1), "no Timestamp"},
		{"extra _aws member", strings.Replace(valid, `"Timestamp"`, `"Extra":1,"Timestamp"`, 1), "additional member"},
		{"empty namespace", strings.Replace(valid, "lambda-function-metrics", "", 1), "Namespace"},
		{"no dimension sets", strings.Replace(valid, `[["functionVersion"]]`, `[]`, 1), "at least one DimensionSet"},
		{"dimension without member", strings.Replace(valid, `"functionVersion":"$LATEST",`, "", 1), "no string target member"},
		{"numeric dimension", strings.Replace(valid, `"$LATEST"`, `3`, 1), "no string target member"},
		{"metric without member", strings.Replace(valid, `"time":100,`, "", 1), "no target member"},
		{"string metric", strings.Replace(valid, `"time":100`, `"time":"100"`, 1), "not a number"},
		{"bad unit", strings.Replace(valid, "Milliseconds", "Fortnights", 1), "not a CloudWatch unit"},
		{"too many values", strings.Replace(valid, `"time":100`, `"time":[`+strings.Repeat("1,", 100)+`1]`, 1), "101 values"},
		{"too many dimensions", strings.Replace(valid, `[["functionVersion"]]`, `[[`+strings.Repeat(`"functionVersion",`, 30)+`"functionVersion"]]`, 1), "31 keys"},
		{"too many metrics", strings.Replace(valid, `{"Name":"time","Unit":"Milliseconds"}`, strings.Repeat(`{"Name":"time"},`, 100)+`{"Name":"time"}`, 1), "101 MetricDefinitions"},
		{"duplicate metric", strings.Replace(valid, `{"Name":"time","Unit":"Milliseconds"}`, `{"Name":"time"},{"Name":"time"}`, 1), "defined twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := validateEMF([]byte(tt.doc))
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}
