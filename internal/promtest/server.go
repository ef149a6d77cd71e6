package promtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/lumen-rt/lumen/internal/testenv"
)

// ScrapeInterval is how often Prometheus scrapes the Pushgateway.
const ScrapeInterval = time.Second

// startTimeout bounds how long a server may take to become ready.
const startTimeout = 60 * time.Second

// Stack is a running Pushgateway and a Prometheus server scraping it.
type Stack struct {
	// PrometheusURL is the Prometheus server's base URL (http://127.0.0.1:port).
	PrometheusURL string
	// RemoteWriteURL is Prometheus' remote write receiver endpoint.
	RemoteWriteURL string
	// PushgatewayURL is the Pushgateway's base URL (http://127.0.0.1:port).
	PushgatewayURL string
	// PushgatewayJob is the scrape job Prometheus uses for the Pushgateway;
	// with honor_labels the pushed job label wins over it.
	PushgatewayJob string
}

// Start starts a Pushgateway and a Prometheus server that scrapes it every
// [ScrapeInterval] with honor_labels and runs the remote write receiver. It
// returns once both answer their readiness endpoints; both stop when t ends.
func Start(t testing.TB) *Stack {
	t.Helper()
	pgw := StartPushgateway(t)
	prom := StartPrometheus(t, pgw)
	return &Stack{
		PrometheusURL:  prom,
		RemoteWriteURL: prom + "/api/v1/write",
		PushgatewayURL: pgw,
		PushgatewayJob: "pushgateway",
	}
}

// StartPushgateway starts a Pushgateway without persistence on a free
// loopback port and returns its base URL once it is ready.
func StartPushgateway(t testing.TB) string {
	t.Helper()
	bin := testenv.Tool(t, "prometheus-pushgateway")
	addr := testenv.FreeAddr(t)
	cmd := exec.Command(bin,
		"--web.listen-address="+addr,
		"--persistence.file=",
		"--log.level=warn",
	)
	base := "http://" + addr
	waitReady(t, testenv.Start(t, cmd), base+"/-/ready")
	return base
}

// StartPrometheus starts a Prometheus server with the remote write receiver
// on a free loopback port, with its TSDB in a temporary folder. When
// pushgatewayURL is not empty, a job named "pushgateway" scrapes it every
// [ScrapeInterval] with honor_labels: true. It returns the base URL once the
// server is ready.
func StartPrometheus(t testing.TB, pushgatewayURL string) string {
	t.Helper()
	bin := testenv.Tool(t, "prometheus")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte(config(pushgatewayURL)), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := testenv.FreeAddr(t)
	cmd := exec.Command(bin,
		"--config.file="+cfg,
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr,
		"--web.enable-remote-write-receiver",
		"--log.level=warn",
	)
	base := "http://" + addr
	waitReady(t, testenv.Start(t, cmd), base+"/-/ready")
	return base
}

// config renders the Prometheus configuration.
func config(pushgatewayURL string) string {
	s := fmt.Sprintf("global:\n  scrape_interval: %s\n  evaluation_interval: %s\n", ScrapeInterval, ScrapeInterval)
	if pushgatewayURL == "" {
		return s
	}
	host := pushgatewayURL[len("http://"):]
	return s + fmt.Sprintf(`scrape_configs:
  - job_name: pushgateway
    honor_labels: true
    scrape_interval: %s
    static_configs:
      - targets: [%q]
`, ScrapeInterval, host)
}

// waitReady polls url until the process answers, failing t if it exits or
// does not answer within startTimeout.
func waitReady(t testing.TB, p *testenv.Process, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	if err := testenv.WaitHTTP(ctx, url, p.Exited()); err != nil {
		t.Fatalf("%s not ready: %v\n%s", url, err, p.Output())
	}
}
