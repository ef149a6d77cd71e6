package dashboards_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"

	"github.com/lumen-rt/lumen/internal/promtest"
	"github.com/lumen-rt/lumen/metrics"
)

// The "Cost and memory" row reads the metrics the metrics package records
// from Lambda's Telemetry API reports (package platform). Until the
// Recorder that records them (metrics/platform.go) is on main, the proof
// pushes those series itself: platformData holds them with their exact
// names, types and labels, per execution environment of the fleet, and
// records the invocations of each round as Lambda would report them. The
// values are made up, the series and the queries over them are real.

// Prices of x86 Lambda functions in us-east-1.
const (
	pricePerGBSecond = 0.0000166667
	pricePerRequest  = 0.0000002
)

// platformMemorySize is the memory size the emulator gives functions
// (AWS_LAMBDA_FUNCTION_MEMORY_SIZE), and so faas_max_memory_bytes.
const platformMemorySize = 3008 << 20

// platformSeries are one environment's platform series.
type platformSeries struct {
	env     *fleetEnv
	reg     *prometheus.Registry
	memUse  *prometheus.HistogramVec
	memUtil *prometheus.HistogramVec
	billed  *prometheus.HistogramVec
	init    *prometheus.HistogramVec
	status  *prometheus.CounterVec
	gbs     *prometheus.CounterVec
	cost    *prometheus.CounterVec
}

// memoryBuckets are powers of two from 16 MiB to 16 GiB.
func memoryBuckets() []float64 { return prometheus.ExponentialBuckets(16<<20, 2, 11) }

// ratioBuckets are tenths, then finer near the limit.
func ratioBuckets() []float64 {
	return []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1}
}

func newPlatformSeries(env *fleetEnv) *platformSeries {
	reg := prometheus.NewRegistry()
	fn := prometheus.Labels{"faas_name": env.fn}
	trig := []string{"faas_trigger"}
	hist := func(name string, buckets []float64, labels []string) *prometheus.HistogramVec {
		h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: name, Buckets: buckets, ConstLabels: fn}, labels)
		reg.MustRegister(h)
		return h
	}
	counter := func(name string, labels []string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: name, ConstLabels: fn}, labels)
		reg.MustRegister(c)
		return c
	}
	return &platformSeries{
		env:     env,
		reg:     reg,
		memUse:  hist("faas_mem_usage_bytes", memoryBuckets(), trig),
		memUtil: hist("faas_memory_utilization_ratio", ratioBuckets(), trig),
		billed:  hist("faas_billed_duration_seconds", metrics.DurationBuckets(), trig),
		init:    hist("faas_platform_init_duration_seconds", metrics.DurationBuckets(), []string{"init_type"}),
		status:  counter("faas_invocation_status_total", []string{"faas_trigger", "status", "error_type"}),
		gbs:     counter("faas_billed_gb_seconds_total", trig),
		cost:    counter("faas_estimated_cost_usd_total", trig),
	}
}

// report records one invocation as Lambda's report would describe it.
func (p *platformSeries) report(trigger, status, errorType string, duration time.Duration, used int64) {
	billed := time.Duration(math.Ceil(float64(duration)/float64(time.Millisecond))) * time.Millisecond
	gbs := float64(platformMemorySize) / (1 << 30) * billed.Seconds()
	p.memUse.WithLabelValues(trigger).Observe(float64(used))
	p.memUtil.WithLabelValues(trigger).Observe(float64(used) / platformMemorySize)
	p.billed.WithLabelValues(trigger).Observe(billed.Seconds())
	p.status.WithLabelValues(trigger, status, errorType).Inc()
	p.gbs.WithLabelValues(trigger).Add(gbs)
	p.cost.WithLabelValues(trigger).Add(pricePerRequest + gbs*pricePerGBSecond)
}

// round records round n of rounds: the init report in the first, then one
// report per invocation the round sent, with a timeout in a managed
// environment's middle round (as the fleet's own) and an invocation that
// ran out of memory in a classic environment's second.
func (p *platformSeries) round(n, rounds int) {
	if n == 0 {
		initType, d := "on-demand", 80*time.Millisecond
		if p.env.managed {
			initType, d = "lambda-managed-instances", 90*time.Millisecond
		}
		p.init.WithLabelValues(initType).Observe(d.Seconds())
	}
	used := int64(48+n%5*8) << 20
	for i, trigger := range []string{"other", "http", "pubsub", "timer"} {
		p.report(trigger, "success", "", time.Duration(10+i*7+n%5)*time.Millisecond, used)
	}
	p.report("other", "error", "Function.ValidationError", 3*time.Millisecond, used)
	p.report("other", "error", "Function.ResponseSizeTooLarge", 40*time.Millisecond, used+100<<20)
	switch {
	case p.env.managed && n == rounds/2:
		p.report("other", "timeout", "Sandbox.Timedout", managedTimeout*time.Second, used)
	case !p.env.managed && n == 1:
		p.report("other", "error", "Runtime.OutOfMemory", 250*time.Millisecond, platformMemorySize)
	}
}

// group is the Pushgateway group the environment's platform series go to.
func (p *platformSeries) group() string { return p.env.instance + "-platform" }

// platformData is the fleet's platform series.
type platformData []*platformSeries

func newPlatformData(envs []*fleetEnv) platformData {
	out := make(platformData, 0, len(envs))
	for _, e := range envs {
		out = append(out, newPlatformSeries(e))
	}
	return out
}

// push records round n in every environment and pushes the series, each
// environment to its own group of its function's job.
func (d platformData) push(ctx context.Context, stack *promtest.Stack, n, rounds int) error {
	for _, p := range d {
		p.round(n, rounds)
		err := push.New(stack.PushgatewayURL, p.env.fn).Grouping("instance", p.group()).Gatherer(p.reg).PushContext(ctx)
		if err != nil {
			return fmt.Errorf("push %s platform series: %w", p.env.instance, err)
		}
	}
	return nil
}

// fresh is the PromQL that holds once Prometheus has scraped every group
// pushed since the Unix time since.
func (d platformData) fresh(since int64) string {
	groups := make([]string, 0, len(d))
	for _, p := range d {
		groups = append(groups, p.group())
	}
	return fmt.Sprintf(`count(push_time_seconds{instance=~%q} >= %d) == %d`, strings.Join(groups, "|"), since, len(groups))
}

// platformNames returns the series names the platform series expose, as
// exposedNames does for a Recorder.
func platformNames() ([]string, error) {
	p := newPlatformSeries(&fleetEnv{envSpec: envSpec{fn: pushedFunction}})
	p.round(0, 4)
	p.round(1, 4)
	mfs, err := p.reg.Gather()
	if err != nil {
		return nil, err
	}
	return seriesNames(mfs), nil
}
