package dashboards

// errorsBoard breaks failed invocations down by Lambda errorType and by
// trigger.
func errorsBoard() boardSpec {
	s := byFunctionAndTrigger
	return boardSpec{
		file:  "errors.json",
		uid:   "lumen-errors",
		title: "Lumen / Errors by type and trigger",
		description: "Failed invocations of Lambda functions that use the Lumen runtime, by Lambda errorType (error_type) " +
			"and by trigger (faas_trigger); timeouts are errors of type Sandbox.Timedout.",
		tags:    []string{"lumen", "lambda", "errors"},
		trigger: true,
		sections: []section{
			{height: 5, panels: []panelSpec{
				{
					kind: kindStat, title: "Errors in range", unit: "short", min: zero(), thresholds: anyBad,
					description: "How many invocations failed in the selected time range, timeouts included? Counted with births, so the first error of each type in each environment is not lost.",
					queries:     []query{{expr: sumBirths(metricErrors, s, wholeRange), instant: true}},
				},
				{
					kind: kindStat, title: "Error ratio in range", unit: "percentunit", min: zero(), thresholds: errorRatio,
					description: "What share of invocations failed in the selected time range? Yellow above 1 %, red above 10 %.",
					queries: []query{{
						expr:    sumBirths(metricErrors, s, wholeRange) + " / " + sumBirths(metricInvokes, s, wholeRange),
						instant: true,
					}},
				},
				{
					kind: kindStat, title: "Error types in range", unit: "short", min: zero(),
					description: "How many distinct error types occurred in the selected time range?",
					queries:     []query{{expr: "count (" + sumBirths(metricErrors, s, wholeRange, labelErrorType) + " > 0)", instant: true}},
				},
				{
					kind: kindStat, title: "Timeouts in range", unit: "short", min: zero(), thresholds: anyBad,
					description: "How many invocations ran out of time in the selected time range?",
					queries:     []query{{expr: sumBirths(metricTimeouts, s, wholeRange), instant: true}},
				},
			}},
			{title: "By error type", height: 9, panels: []panelSpec{
				{
					kind: kindTimeseries, title: "Errors/s by type", unit: "reqps", min: zero(), stacked: true,
					description: "Which error types occur, and since when? Errors per second by Lambda errorType (Go type names as aws-lambda-go reports them, Runtime.* and Sandbox.Timedout from the platform).",
					queries:     []query{{expr: sumRate(metricErrors, s, labelErrorType), legend: "{{error_type}}"}},
				},
				{
					kind: kindBarGauge, title: "Errors in range by type and trigger", unit: "short", min: zero(), thresholds: anyBad,
					description: "Which error type comes from which event source? Errors in the selected time range per error type and trigger, counted with births.",
					queries: []query{{
						expr:    sumBirths(metricErrors, s, wholeRange, labelErrorType, labelTrigger),
						legend:  "{{error_type}} ({{faas_trigger}})",
						instant: true,
					}},
				},
			}},
			{title: "By trigger and function", height: 8, panels: []panelSpec{
				{
					kind: kindTimeseries, title: "Errors/s by trigger", unit: "reqps", min: zero(), stacked: true,
					description: "Which event source's invocations fail? Errors per second by faas.trigger.",
					queries:     []query{{expr: sumRate(metricErrors, s, labelTrigger), legend: "{{faas_trigger}}"}},
				},
				{
					kind: kindTimeseries, title: "Error ratio by trigger", unit: "percentunit", min: zero(), thresholds: errorRatio,
					description: "Does one event source fail more often than the others? Errors divided by invocations per trigger.",
					queries:     []query{{expr: ratio(metricErrors, metricInvokes, s, labelTrigger), legend: "{{faas_trigger}}"}},
				},
				{
					kind: kindTimeseries, title: "Errors/s by function and type", unit: "reqps", min: zero(),
					description: "Which function raises which error type? Errors per second per function and error type.",
					queries:     []query{{expr: sumRate(metricErrors, s, labelFunction, labelErrorType), legend: "{{faas_name}} {{error_type}}"}},
				},
			}},
		},
	}
}
