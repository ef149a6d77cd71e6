package dashboards_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"
	dto "github.com/prometheus/client_model/go"

	"github.com/lumen-rt/lumen/internal/promtest"
	"github.com/lumen-rt/lumen/metrics"
)

// The "Cost and memory" row reads the metrics a Recorder records from
// Lambda's Telemetry API reports. The fleet's managed-instances
// environments run with LUMEN_PLATFORM_TELEMETRY=true: the emulator's
// real Telemetry API reports their invocations (duration, status, the
// timeout, the init), and their runtime records and exports those series
// with its others. The emulator's classic mode serves no Telemetry API, so
// for each classic environment the proof records, with a real Recorder
// (RecordPlatformReport, RecordPlatformRuntimeDone), what Lambda's reports
// of its invocations would say: the memory used and the billed duration
// (which the managed-instances reports lack, as Lambda Managed Instances'
// do), an out-of-memory ending. Those values are made up; the Recorder,
// its series and the queries over them are real.

// Prices of x86 Lambda functions in us-east-1.
const (
	pricePerGBSecond = metrics.PricePerGBSecondX86
	pricePerRequest  = metrics.DefaultPricePerRequest
)

// platformMemorySize is the memory size the emulator gives functions
// (AWS_LAMBDA_FUNCTION_MEMORY_SIZE), and so faas_max_memory_bytes.
const platformMemorySize = 3008 << 20

// platformFamilies are the families a Recorder records from Lambda's
// reports: the only ones a classic environment's platform Recorder
// pushes, the environment's own runtime pushing the rest.
var platformFamilies = []string{
	"faas_mem_usage_bytes", "faas_memory_utilization_ratio", "faas_billed_duration_seconds",
	"faas_platform_duration_seconds", "faas_platform_init_duration_seconds", "faas_restore_duration_seconds",
	"faas_response_latency_seconds", "faas_response_duration_seconds", "faas_produced_bytes",
	"faas_invocation_status_total", "faas_billed_gb_seconds_total", "faas_estimated_cost_usd_total",
}

// newPlatformRecorder returns a Recorder of fn's platform metrics, priced
// as x86 in us-east-1.
func newPlatformRecorder(fn string) (*metrics.Recorder, error) {
	return metrics.New(metrics.WithFunctionName(fn), metrics.WithMaxMemory(platformMemorySize),
		metrics.WithPricePerGBSecond(pricePerGBSecond), metrics.WithPricePerRequest(pricePerRequest))
}

// platformGatherer gathers the platform families of rec only.
func platformGatherer(rec *metrics.Recorder) prometheus.Gatherer {
	return prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) {
		mfs, err := rec.Gatherer().Gather()
		return slices.DeleteFunc(mfs, func(mf *dto.MetricFamily) bool {
			return !slices.Contains(platformFamilies, mf.GetName())
		}), err
	})
}

// platformSeries are one classic environment's platform series.
type platformSeries struct {
	env *fleetEnv
	rec *metrics.Recorder
}

// report records one invocation as Lambda's platform.runtimeDone and
// platform.report would describe it; init is the init duration the first
// report of an environment carries.
func (p *platformSeries) report(trigger metrics.Trigger, status, errorType string, duration time.Duration, used int64, init time.Duration) {
	billed := time.Duration(math.Ceil(float64(duration)/float64(time.Millisecond))) * time.Millisecond
	p.rec.RecordPlatformRuntimeDone(metrics.PlatformRuntimeDone{
		Trigger: trigger, ResponseLatency: duration * 9 / 10, ResponseDuration: duration / 20, ProducedBytes: 512,
	})
	p.rec.RecordPlatformReport(metrics.PlatformReport{
		Trigger: trigger, Status: status, ErrorType: errorType,
		Duration: duration, BilledDuration: billed, MaxMemoryUsedBytes: used, MemoryLimitBytes: platformMemorySize,
		InitDuration: init, InitType: metrics.InitOnDemand,
	})
}

// round records round n: a report per invocation the round sent, the
// first carrying the init, and an invocation that ran out of memory in the
// second.
func (p *platformSeries) round(n int) {
	used := int64(48+n%5*8) << 20
	var init time.Duration
	if n == 0 {
		init = 80 * time.Millisecond
	}
	triggers := []metrics.Trigger{metrics.TriggerOther, metrics.TriggerHTTP, metrics.TriggerPubSub, metrics.TriggerTimer}
	for i, trigger := range triggers {
		p.report(trigger, metrics.StatusSuccess, "", time.Duration(10+i*7+n%5)*time.Millisecond, used, init)
		init = 0
	}
	p.report(metrics.TriggerOther, metrics.StatusError, "Function.ValidationError", 3*time.Millisecond, used, 0)
	p.report(metrics.TriggerOther, metrics.StatusError, "Function.ResponseSizeTooLarge", 40*time.Millisecond, used+100<<20, 0)
	if n == 1 {
		p.report(metrics.TriggerOther, metrics.StatusError, "Runtime.OutOfMemory", 250*time.Millisecond, platformMemorySize, 0)
	}
}

// group is the Pushgateway group the environment's platform series go to.
func (p *platformSeries) group() string { return p.env.instance + "-platform" }

// platformData is the platform series of the fleet's classic
// environments.
type platformData []*platformSeries

func newPlatformData(envs []*fleetEnv) (platformData, error) {
	var out platformData
	for _, e := range envs {
		if e.managed {
			continue // its runtime records Lambda's real reports
		}
		rec, err := newPlatformRecorder(e.fn)
		if err != nil {
			return nil, err
		}
		out = append(out, &platformSeries{env: e, rec: rec})
	}
	return out, nil
}

// push records round n in every classic environment and pushes its
// platform series, each environment to its own group of its function's
// job.
func (d platformData) push(ctx context.Context, stack *promtest.Stack, n int) error {
	for _, p := range d {
		p.round(n)
		err := push.New(stack.PushgatewayURL, p.env.fn).Grouping("instance", p.group()).Gatherer(platformGatherer(p.rec)).PushContext(ctx)
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
