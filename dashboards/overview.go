package dashboards

// S is the scope of the overview's per-invocation queries.
const overviewScope = byFunctionAndTrigger

// overview is the function overview: the RED view of Lambda functions run
// by Lumen, plus cold starts and timeouts, and what Lambda measures and
// bills.
func overview() boardSpec {
	s := overviewScope
	return boardSpec{
		file:  "function-overview.json",
		uid:   "lumen-function-overview",
		title: "Lumen / Function overview",
		description: "Invocations, errors, duration, cold starts and timeouts of Lambda functions that use the Lumen runtime " +
			"(metrics package, faas_* metrics), and their cost and memory as Lambda reports them, " +
			"from Prometheus fed by the Pushgateway or remote write exporters.",
		tags:    []string{"lumen", "lambda", "faas"},
		trigger: true,
		sections: append([]section{
			{height: 5, panels: []panelSpec{
				{
					kind: kindStat, title: "Invocations/s", unit: "reqps", min: zero(),
					description: "How busy are the functions? Invocations per second, failed ones included (faas_invocations_total counts all invocations, as CloudWatch's Invocations does).",
					queries:     []query{{expr: sumRate(metricInvokes, s)}},
				},
				{
					kind: kindStat, title: "Error ratio", unit: "percentunit", min: zero(), thresholds: errorRatio,
					description: "What share of invocations fail? Errors (timeouts included) divided by invocations, as AWS defines the error rate. Yellow above 1 %, red above 10 %.",
					queries:     []query{{expr: ratio(metricErrors, metricInvokes, s)}},
				},
				{
					kind: kindStat, title: "p99 duration", unit: "s", min: zero(),
					description: "How slow are the slowest 1 % of invocations? 99th percentile of faas_invoke_duration_seconds, from the arrival of the event to the completed post of the response.",
					queries:     []query{{expr: quantile(0.99, metricDuration, s)}},
				},
				{
					kind: kindStat, title: "Cold starts in range", unit: "short", min: zero(), thresholds: anyBad,
					description: "How many invocations waited for an init in the selected time range? Counted with births (see the dashboards README), since each execution environment has at most one cold start.",
					queries:     []query{{expr: sumBirths(metricColds, s, wholeRange), instant: true}},
				},
				{
					kind: kindStat, title: "Cold-start ratio", unit: "percentunit", min: zero(), thresholds: coldStartRatio,
					description: "What share of invocations were cold starts in the selected time range? Yellow above 1 %, red above 10 %.",
					queries: []query{{
						expr:    sumBirths(metricColds, s, wholeRange) + " / " + sumBirths(metricInvokes, s, wholeRange),
						instant: true,
					}},
				},
				{
					kind: kindStat, title: "Timeouts in range", unit: "short", min: zero(), thresholds: anyBad,
					description: "Did any invocation run out of time in the selected time range? Any timeout is red.",
					queries:     []query{{expr: sumBirths(metricTimeouts, s, wholeRange), instant: true}},
				},
			}},
			{title: "Rate and errors", height: 8, panels: []panelSpec{
				{
					kind: kindTimeseries, title: "Invocations/s by function", unit: "reqps", min: zero(),
					description: "Which functions take the traffic? Invocations per second per function.",
					queries:     []query{{expr: sumRate(metricInvokes, s, labelFunction), legend: "{{faas_name}}"}},
				},
				{
					kind: kindTimeseries, title: "Invocations/s by trigger", unit: "reqps", min: zero(), stacked: true,
					description: "What invokes the functions? Invocations per second by faas.trigger (http, pubsub, datasource, timer, other).",
					queries:     []query{{expr: sumRate(metricInvokes, s, labelTrigger), legend: "{{faas_trigger}}"}},
				},
				{
					kind: kindTimeseries, title: "Error ratio by function", unit: "percentunit", min: zero(), thresholds: errorRatio,
					description: "Which function fails, and since when? Errors divided by invocations per function.",
					queries:     []query{{expr: ratio(metricErrors, metricInvokes, s, labelFunction), legend: "{{faas_name}}"}},
				},
			}},
			{title: "Duration", height: 8, panels: []panelSpec{
				{
					kind: kindTimeseries, title: "Duration percentiles", unit: "s", min: zero(),
					description: "How long do invocations take, typically and at worst? p50, p90 and p99 of faas_invoke_duration_seconds over all selected functions.",
					queries: []query{
						{expr: quantile(0.5, metricDuration, s), legend: "p50"},
						{expr: quantile(0.9, metricDuration, s), legend: "p90"},
						{expr: quantile(0.99, metricDuration, s), legend: "p99"},
					},
				},
				{
					kind: kindTimeseries, title: "p99 duration by function", unit: "s", min: zero(),
					description: "Which function is slow? 99th percentile of the invoke duration per function.",
					queries:     []query{{expr: quantile(0.99, metricDuration, s, labelFunction), legend: "{{faas_name}}"}},
				},
				{
					kind: kindTimeseries, title: "Share of invocations under 250 ms", unit: "percentunit", min: zero(), maxValue: one(),
					thresholds:  []step{base("red"), at("yellow", 0.9), at("green", 0.99)},
					description: "Is the latency objective met? Share of invocations that finished within 250 ms (a bucket bound of faas_invoke_duration_seconds).",
					queries: []query{{
						expr:   sumRate(metricDuration+"_bucket", s+`, le="0.25"`) + " / " + sumRate(metricDuration+"_count", s),
						legend: "under 250 ms",
					}},
				},
			}},
			{title: "Cold starts and timeouts", height: 8, panels: []panelSpec{
				{
					kind: kindTimeseries, title: "Cold starts", unit: "short", min: zero(), bars: true,
					description: "When do new execution environments start cold? Cold starts per function in each $__rate_interval window, counted with births.",
					queries:     []query{{expr: sumBirths(metricColds, s, rateInterval, labelFunction), legend: "{{faas_name}}"}},
				},
				{
					kind: kindStat, title: "Init duration", unit: "s", min: zero(),
					description: "How long does a cold start's init take? p50 and p99 of faas_init_duration_seconds over the cold starts in the selected time range (one observation per cold start).",
					queries: []query{
						{expr: quantileBirths(0.5, metricInit, s, wholeRange), legend: "p50", instant: true},
						{expr: quantileBirths(0.99, metricInit, s, wholeRange), legend: "p99", instant: true},
					},
				},
				{
					kind: kindTimeseries, title: "Timeouts", unit: "short", min: zero(), bars: true, thresholds: anyBad,
					description: "When did invocations time out, and in which function? Timeouts in each $__rate_interval window, counted with births.",
					queries:     []query{{expr: sumBirths(metricTimeouts, s, rateInterval, labelFunction), legend: "{{faas_name}}"}},
				},
			}},
		}, costAndMemory()...),
	}
}
