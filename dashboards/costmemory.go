package dashboards

// costAndMemory is the overview's row of what Lambda itself measures and
// bills, from its Telemetry API reports (package platform): billed
// GB-seconds and the estimated cost, memory used against the memory size,
// Lambda's init next to the runtime's, and invocations Lambda ended for
// running out of memory or time.
func costAndMemory() []section {
	s := overviewScope
	// The init has no trigger: one per execution environment.
	f := byFunction
	status := func(matcher string) string { return sel(metricStatus, s, matcher) }
	return []section{
		{title: "Cost and memory", height: 5, panels: []panelSpec{
			{
				kind: kindStat, title: "Billed GB-seconds in range", unit: "short", min: zero(),
				description: "How much compute did Lambda bill in the selected time range? Billed duration times memory size, in GB-seconds (faas_billed_gb_seconds_total, from Lambda's platform.report), counted with births.",
				queries:     []query{{expr: sumBirths(metricBilledGBs, s, wholeRange), instant: true}},
			},
			{
				kind: kindStat, title: "Estimated cost in range", unit: "currencyUSD", min: zero(),
				description: "What did the invocations cost in the selected time range? Requests times the price per request plus billed GB-seconds times the price per GB-second (faas_estimated_cost_usd_total), counted with births. An estimate: free tier, savings plans and other charges are not in it.",
				queries:     []query{{expr: sumBirths(metricCost, s, wholeRange), instant: true}},
			},
			{
				kind: kindStat, title: "Memory used, p99 of the size", unit: "percentunit", min: zero(), maxValue: one(), thresholds: memoryShare,
				description: "How close do invocations come to the memory size? 99th percentile of the maximum memory used as a share of the function's memory size (faas_memory_utilization_ratio). Yellow above 80 %, red above 95 %: Lambda ends an invocation that needs more.",
				queries:     []query{{expr: quantile(0.99, metricMemUtilization, s)}},
			},
			{
				kind: kindStat, title: "Out-of-memory endings in range", unit: "short", min: zero(), thresholds: anyBad,
				description: "Did Lambda end invocations for running out of memory in the selected time range? Reports with errorType Runtime.OutOfMemory, counted with births. Any is red.",
				queries:     []query{{expr: "sum (" + IncreaseWithBirths(status(labelErrorType+`="`+errorTypeOutOfMemory+`"`), wholeRange) + ")", instant: true}},
			},
		}},
		{height: 8, panels: []panelSpec{
			{
				kind: kindTimeseries, title: "Estimated cost per hour by function", unit: "currencyUSD", min: zero(),
				description: "Which function costs what? Estimated cost per hour at the current rate of each function (faas_estimated_cost_usd_total).",
				queries: []query{
					{expr: sumRate(metricCost, s, labelFunction) + " * 3600", legend: "{{faas_name}}"},
				},
			},
			{
				kind: kindTimeseries, title: "Billed GB-seconds/s by function", unit: "short", min: zero(),
				description: "How much compute does each function use? Billed GB-seconds per second: billed duration times memory size (faas_billed_gb_seconds_total).",
				queries:     []query{{expr: sumRate(metricBilledGBs, s, labelFunction), legend: "{{faas_name}}"}},
			},
			{
				kind: kindTimeseries, title: "Max memory used vs. memory size", unit: "bytes", min: zero(),
				description: "Is a function close to its memory size? 99th percentile and largest bucket of the maximum memory used per invocation, as Lambda reports it (faas_mem_usage_bytes), against the memory size (faas_max_memory_bytes).",
				queries: []query{
					{expr: quantile(0.99, metricMemUsage, s, labelFunction), legend: "p99 used {{faas_name}}"},
					{expr: "max by (faas_name) (" + sel(metricMaxMemory, f) + ")", legend: "size {{faas_name}}"},
				},
			},
		}},
		{height: 8, panels: []panelSpec{
			{
				kind: kindBarGauge, title: "Init: Lambda vs. runtime start", unit: "s", min: zero(), width: 8,
				description: "Was a cold start the platform's init or the function's? p50 and p99, over the selected time range, of the init as Lambda reports it (faas_platform_init_duration_seconds, by initialization type: extensions, runtime and function init) and as the runtime measures it from the start of its process to its first request for an event (faas_init_duration_seconds, cold starts only).",
				queries: []query{
					{expr: quantileBirths(0.5, metricPlatformInit, f, wholeRange, labelInitType), legend: "Lambda p50 {{init_type}}", instant: true},
					{expr: quantileBirths(0.99, metricPlatformInit, f, wholeRange, labelInitType), legend: "Lambda p99 {{init_type}}", instant: true},
					{expr: quantileBirths(0.5, metricInit, s, wholeRange), legend: "runtime p50", instant: true},
					{expr: quantileBirths(0.99, metricInit, s, wholeRange), legend: "runtime p99", instant: true},
				},
			},
			{
				kind: kindTimeseries, title: "Out-of-memory and timeout endings", unit: "short", min: zero(), bars: true, thresholds: anyBad, width: 16,
				description: "When did Lambda end invocations for running out of memory or of time, and in which function? Reports with errorType Runtime.OutOfMemory and with status timeout (faas_invocation_status_total) in each $__rate_interval window, counted with births.",
				queries: []query{
					{expr: sumBirths(metricStatus, s+scope(`, `+labelErrorType+`="`+errorTypeOutOfMemory+`"`), rateInterval, labelFunction), legend: "out of memory {{faas_name}}"},
					{expr: sumBirths(metricStatus, s+scope(`, `+labelStatus+`="timeout"`), rateInterval, labelFunction), legend: "timeout {{faas_name}}"},
				},
			},
		}},
	}
}
