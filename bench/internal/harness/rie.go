package harness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// rieInvokePath is the emulator's only invoke endpoint.
const rieInvokePath = "/2015-03-31/functions/function/invocations"

// Emulator is aws-lambda-rie, in classic mode, running one variant.
type Emulator struct {
	child  *Child
	url    string
	client *http.Client
}

// StartEmulator starts the emulator (tool) in classic mode with r's binary
// as its bootstrap and returns once it accepts invokes; the function itself
// starts at the first invoke.
func StartEmulator(ctx context.Context, tool string, r Run, p Plan) (*Emulator, error) {
	for attempt := 1; ; attempt++ {
		addr, api, err := freeAddrPair()
		if err != nil {
			return nil, err
		}
		env := append(r.env(""), "AWS_LAMBDA_FUNCTION_TIMEOUT=60")
		child, err := StartChild(tool, []string{
			"--runtime-interface-emulator-address", addr, "--runtime-api-address", api, r.Bin,
		}, env, r.logPath("rie", p))
		if err != nil {
			return nil, err
		}
		err = waitHTTP(ctx, "http://"+addr+"/", child.Exited())
		if err == nil {
			tr := &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 1, DisableCompression: true}
			return &Emulator{child: child, url: "http://" + addr + rieInvokePath, client: &http.Client{Transport: tr}}, nil
		}
		_ = child.Stop()
		if out := child.Output(); attempt < 3 && strings.Contains(out, "address already in use") {
			continue
		}
		return nil, fmt.Errorf("harness: the emulator did not start: %w\n%s", err, child.Output())
	}
}

// Stop stops the emulator and its function.
func (e *Emulator) Stop() {
	e.client.CloseIdleConnections()
	_ = e.child.Stop()
}

func (e *Emulator) invoke(ctx context.Context, event []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(event))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.client.Do(req)
	if err != nil {
		if c := context.Cause(ctx); c != nil {
			return nil, c
		}
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the emulator answered %d: %.300s", resp.StatusCode, body)
	}
	return body, nil
}

// MeasureEmulator runs r's binary under the emulator and measures p,
// sequentially over one kept-alive connection. The sample's EmulatorCPU is
// the emulator's own CPU time over the measured invocations.
func MeasureEmulator(ctx context.Context, tool string, r Run, p Plan) (Sample, error) {
	e, err := StartEmulator(ctx, tool, r, p)
	if err != nil {
		return Sample{}, err
	}
	defer e.Stop()
	ctx, cancel := watch(ctx, e.child)
	defer cancel()
	probe := &emulatorProbe{e: e}
	s, err := measure(ctx, probe, r.Variant, p, r.Sink)
	s.EmulatorCPU = probe.after - probe.before
	if err != nil {
		return s, fmt.Errorf("%s under the emulator: %w", r.Variant.Name, err)
	}
	return s, nil
}

// emulatorProbe reads the emulator's CPU time next to each stats event: the
// first stats answer sets before, each later one after.
type emulatorProbe struct {
	e             *Emulator
	stats         int
	before, after time.Duration
}

func (p *emulatorProbe) invoke(ctx context.Context, event []byte) ([]byte, error) {
	body, err := p.e.invoke(ctx, event)
	if err == nil && bytes.HasPrefix(event, []byte(`{"stats"`)) {
		cpu, cerr := ProcessCPU(p.e.child.PID())
		if cerr != nil {
			return nil, cerr
		}
		if p.stats == 0 {
			p.before = cpu
		} else {
			p.after = cpu
		}
		p.stats++
	}
	return body, err
}

// ProcessCPU reads a process's user plus system time from /proc/<pid>/stat,
// in clock ticks of 10 ms.
func ProcessCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, fmt.Errorf("harness: process CPU: %w", err)
	}
	// Fields after the command (which may hold spaces) start after ") ".
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("harness: unexpected /proc stat format")
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0, errors.New("harness: unexpected /proc stat format")
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("harness: /proc stat: %w", err)
	}
	const tick = 10 * time.Millisecond // USER_HZ is 100 on Linux
	return time.Duration(ut+st) * tick, nil
}

// freeAddrPair returns two different free loopback addresses; the ports are
// released, so whoever binds them should do so promptly.
func freeAddrPair() (string, string, error) {
	var addrs []string
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			_ = l.Close()
		}
	}()
	for range 2 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", "", fmt.Errorf("harness: free port: %w", err)
		}
		ls = append(ls, l)
		addrs = append(addrs, l.Addr().String())
	}
	return addrs[0], addrs[1], nil
}

// waitHTTP polls url until it answers below 500, exited is closed or ctx
// ends: polling is how a starting server's readiness is seen.
func waitHTTP(ctx context.Context, url string, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-exited:
			return errors.New("exited before answering")
		case <-tick.C:
		}
	}
}
