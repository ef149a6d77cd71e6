package dashboards

// internals is the runtime-internals dashboard: where the time of each turn
// of the invocation loop goes, what the telemetry pipeline costs and loses,
// and the execution environments' saturation, memory and garbage collector.
// None of its metrics carry faas_trigger, so it has no trigger variable.
func internals() boardSpec {
	s := byFunction
	return boardSpec{
		file:  "runtime-internals.json",
		uid:   "lumen-runtime-internals",
		title: "Lumen / Runtime internals",
		description: "The Lumen runtime's own view of each invocation: loop phases, the telemetry flush after each response, " +
			"what exporters dropped, in-flight invocations, memory and the Go garbage collector.",
		tags: []string{"lumen", "lambda", "runtime"},
		sections: []section{
			{height: 5, panels: []panelSpec{
				{
					kind: kindStat, title: "Flush p99", unit: "s", min: zero(),
					description: "How long does the telemetry flush after each response take at worst? 99th percentile of faas_telemetry_flush_duration_seconds; Lambda bills this time.",
					queries:     []query{{expr: quantile(0.99, metricFlush, s)}},
				},
				{
					kind: kindStat, title: "Flush overruns in range", unit: "short", min: zero(), thresholds: anyBad,
					description: "Did a flusher miss its flush budget in the selected time range? What it had not sent by then is dropped and counted.",
					queries:     []query{{expr: sumBirths(metricOverruns, s, wholeRange), instant: true}},
				},
				{
					kind: kindStat, title: "Telemetry dropped in range", unit: "short", min: zero(), thresholds: anyBad,
					description: "How many spans, metric series and log records did exporters give up on in the selected time range?",
					queries:     []query{{expr: sumBirths(metricDropped, s, wholeRange), instant: true}},
				},
				{
					kind: kindStat, title: "Export errors in range", unit: "short", min: zero(), thresholds: anyBad,
					description: "How many export attempts failed in the selected time range?",
					queries:     []query{{expr: sumBirths(metricExportErr, s, wholeRange), instant: true}},
				},
				{
					kind: kindStat, title: "In-flight invocations", unit: "short", min: zero(),
					description: "How many invocations are being handled right now, over all execution environments? Sum of faas_inflight_invocations as last reported.",
					queries:     []query{{expr: "sum (" + sel(metricInflight, s) + ")"}},
				},
				{
					kind: kindStat, title: "Execution environments", unit: "short", min: zero(),
					description: "How many execution environments report metrics? One faas_inflight_invocations series per environment (the instance label).",
					queries:     []query{{expr: "count (" + sel(metricInflight, s) + ")"}},
				},
			}},
			{title: "Invocation loop phases", height: 8, panels: []panelSpec{
				{
					kind: kindTimeseries, title: "Phase p99", unit: "s", min: zero(),
					description: "Which step of the loop is slow? 99th percentile of each phase: poll_wait (waiting in GET /next, idle time included), event_receive, handle (the handler), post (sending the response), and flush (telemetry, after the response).",
					queries: []query{
						{expr: quantile(0.99, metricPhase, s, labelPhase), legend: "{{phase}}"},
						{expr: quantile(0.99, metricFlush, s), legend: "flush"},
					},
				},
				{
					kind: kindTimeseries, title: "Mean time per turn by phase", unit: "s", min: zero(), stacked: true,
					description: "Where does the time of one turn of the loop go? Mean duration of each phase, stacked, the flush included.",
					queries: []query{
						{expr: mean(metricPhase, s, labelPhase), legend: "{{phase}}"},
						{expr: mean(metricFlush, s), legend: "flush"},
					},
				},
				{
					kind: kindTimeseries, title: "Runtime overhead p99", unit: "s", min: zero(),
					description: "What does the runtime itself add around the handler? 99th percentile of event_receive, post and flush, the phases Lumen owns.",
					queries: []query{
						{expr: quantile(0.99, metricPhase, s+`, phase=~"event_receive|post"`, labelPhase), legend: "{{phase}}"},
						{expr: quantile(0.99, metricFlush, s), legend: "flush"},
					},
				},
			}},
			{title: "Telemetry health", height: 8, panels: []panelSpec{
				{
					kind: kindTimeseries, title: "Flush overruns, failures and skips", unit: "short", min: zero(), bars: true, thresholds: anyBad,
					description: "Which flusher misses its budget or fails? Flushes per flusher in each $__rate_interval window that overran the budget, returned an error, or were skipped because an earlier flush was still running.",
					queries: []query{
						{expr: sumBirths(metricOverruns, s, rateInterval, labelFlusher), legend: "overrun {{flusher}}"},
						{expr: sumBirths(metricFailures, s, rateInterval, labelFlusher), legend: "failed {{flusher}}"},
						{expr: sumBirths(metricSkipped, s, rateInterval, labelFlusher), legend: "skipped {{flusher}}"},
					},
				},
				{
					kind: kindTimeseries, title: "Telemetry dropped", unit: "short", min: zero(), bars: true, thresholds: anyBad,
					description: "Which exporter loses which signal? Items given up on per exporter and signal in each $__rate_interval window.",
					queries:     []query{{expr: sumBirths(metricDropped, s, rateInterval, labelExporter, labelSignal), legend: "{{exporter}} {{signal}}"}},
				},
				{
					kind: kindTimeseries, title: "Exporter errors", unit: "short", min: zero(), bars: true, thresholds: anyBad,
					description: "Which exporter fails to export? Failed export attempts per exporter and signal in each $__rate_interval window.",
					queries:     []query{{expr: sumBirths(metricExportErr, s, rateInterval, labelExporter, labelSignal), legend: "{{exporter}} {{signal}}"}},
				},
			}},
			{title: "Saturation and memory", height: 8, panels: []panelSpec{
				{
					kind: kindTimeseries, title: "In-flight invocations", unit: "short", min: zero(),
					description: "Are the execution environments saturated? In-flight invocations per function (compare with AWS_LAMBDA_MAX_CONCURRENCY times the environments).",
					queries:     []query{{expr: "sum by (faas_name) (" + sel(metricInflight, s) + ")", legend: "{{faas_name}}"}},
				},
				{
					kind: kindTimeseries, title: "Memory used vs. limit", unit: "bytes", min: zero(),
					description: "Is a function close to its memory size? Largest resident memory of any execution environment, against faas_max_memory_bytes (the function's memory size).",
					queries: []query{
						{expr: "max by (faas_name) (" + sel("process_resident_memory_bytes", s) + ")", legend: "resident {{faas_name}}"},
						{expr: "max by (faas_name) (" + sel(metricMaxMemory, s) + ")", legend: "limit {{faas_name}}"},
					},
				},
				{
					kind: kindTimeseries, title: "Goroutines", unit: "short", min: zero(),
					description: "Are goroutines leaking? Largest number of goroutines of any execution environment.",
					queries:     []query{{expr: "max by (faas_name) (" + sel("go_goroutines", s) + ")", legend: "{{faas_name}}"}},
				},
			}},
			{title: "Go runtime", height: 8, panels: []panelSpec{
				{
					kind: kindTimeseries, title: "Go heap in use", unit: "bytes", min: zero(),
					description: "How much memory does the Go heap hold? Largest go_memstats_heap_inuse_bytes of any execution environment.",
					queries:     []query{{expr: "max by (faas_name) (" + sel("go_memstats_heap_inuse_bytes", s) + ")", legend: "{{faas_name}}"}},
				},
				{
					kind: kindTimeseries, title: "GC cycles/s", unit: "ops", min: zero(),
					description: "How often does the garbage collector run? Completed GC cycles per second over all execution environments.",
					queries:     []query{{expr: sumRate("go_gc_duration_seconds_count", s, labelFunction), legend: "{{faas_name}}"}},
				},
				{
					kind: kindTimeseries, title: "Longest GC pause", unit: "s", min: zero(),
					description: "Does the garbage collector stop the handler for long? Longest stop-the-world pause reported by any execution environment (go_gc_duration_seconds, quantile 1).",
					queries:     []query{{expr: "max by (faas_name) (" + sel("go_gc_duration_seconds", s, `quantile="1"`) + ")", legend: "{{faas_name}}"}},
				},
			}},
		},
	}
}
