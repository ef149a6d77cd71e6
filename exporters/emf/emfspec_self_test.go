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
	// The distribution form, as the awsemf exporter writes histograms.
	dist := func(value string) string { return strings.Replace(valid, `"time":100`, `"time":`+value, 1) }
	doc, err = validateEMF([]byte(dist(`{"Values":[0.5,3],"Counts":[2,1],"Max":4,"Min":0,"Count":3,"Sum":4.2}`)))
	require.NoError(t, err)
	require.Equal(t, []float64{2, 1}, doc.Dists["time"].Counts)
	require.InDelta(t, 3, doc.Values["time"], 0)

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
		{"distribution without Sum", dist(`{"Values":[1],"Counts":[1],"Max":1,"Min":1,"Count":1}`), "no Sum"},
		{"distribution with an extra member", dist(`{"Values":[1],"Counts":[1],"Max":1,"Min":1,"Count":1,"Sum":1,"P99":1}`), "additional member"},
		{"Counts without Values", dist(`{"Counts":[1],"Max":1,"Min":1,"Count":1,"Sum":1}`), "Counts without Values"},
		{"Values without Counts", dist(`{"Values":[1],"Max":1,"Min":1,"Count":1,"Sum":1}`), "no Counts"},
		{"unequal arrays", dist(`{"Values":[1,2],"Counts":[1],"Max":2,"Min":1,"Count":1,"Sum":1}`), "2 Values but 1 Counts"},
		{"counts do not add up", dist(`{"Values":[1,2],"Counts":[1,1],"Max":2,"Min":1,"Count":3,"Sum":4}`), "add up to 2"},
		{"value above Max", dist(`{"Values":[1,3],"Counts":[1,1],"Max":2,"Min":1,"Count":2,"Sum":3}`), "outside"},
		{"fractional count", dist(`{"Values":[1],"Counts":[0.5],"Max":1,"Min":1,"Count":0.5,"Sum":0.5}`), "not a positive integer"},
		{"sum beyond Max × Count", dist(`{"Values":[1],"Counts":[1],"Max":1,"Min":1,"Count":1,"Sum":5}`), "inconsistent"},
		{"101 values", dist(`{"Values":[` + strings.Repeat("1,", 100) + `1],"Counts":[` + strings.Repeat("1,", 100) + `1],"Max":1,"Min":1,"Count":101,"Sum":101}`), "101 values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := validateEMF([]byte(tt.doc))
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}
