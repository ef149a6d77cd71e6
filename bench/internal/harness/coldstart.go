package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ColdStarts starts r's binary runs times against a bare Runtime API
// listener and returns, for each start, the time from just before fork/exec
// to the arrival of the function's first GET /next. The function is killed
// as soon as that GET arrives. An internal extension's registration is
// answered, so a runtime that registers one before polling is timed with
// it.
func ColdStarts(ctx context.Context, r Run, runs int) ([]time.Duration, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("harness: cold start listener: %w", err)
	}
	arrived := make(chan time.Time, 1)
	initErr := make(chan string, 1)
	srv := &http.Server{Handler: coldStartAPI(arrived, initErr)}
	go func() { _ = srv.Serve(l) }()
	defer srv.Close()

	out := make([]time.Duration, 0, runs)
	for i := range runs {
		select { // drop a late signal of the previous run
		case <-arrived:
		default:
		}
		child, err := StartChild(r.Bin, nil, r.env(l.Addr().String()),
			filepath.Join(r.LogDir, fmt.Sprintf("%s-coldstart.log", r.Variant.Name)))
		if err != nil {
			return nil, err
		}
		var at time.Time
		select {
		case at = <-arrived:
		case msg := <-initErr:
			err = fmt.Errorf("init error: %s", msg)
		case <-child.Exited():
			err = errors.New("exited before polling")
		case <-time.After(30 * time.Second):
			err = errors.New("no GET /next within 30s")
		case <-ctx.Done():
			err = ctx.Err()
		}
		stopErr := child.Stop()
		if err == nil {
			err = stopErr
		}
		if err != nil {
			return nil, fmt.Errorf("%s cold start %d: %w\n%s", r.Variant.Name, i, err, child.Output())
		}
		out = append(out, at.Sub(child.Started()))
	}
	return out, nil
}

// coldStartAPI notes the arrival of each GET /next on arrived and holds it
// until the function is gone.
func coldStartAPI(arrived chan<- time.Time, initErr chan<- string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- time.Now():
		default:
		}
		<-r.Context().Done()
	})
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(io.LimitReader(r.Body, 4096))
		select {
		case initErr <- string(b):
		default:
		}
		w.WriteHeader(http.StatusAccepted)
	})
	mux.HandleFunc("POST /2020-01-01/extension/register", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Lambda-Extension-Identifier", "00000000-0000-4000-8000-000000000001")
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"functionName":"bench","functionVersion":"$LATEST","handler":"bootstrap"}`)
	})
	mux.HandleFunc("GET /2020-01-01/extension/event/next", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	return mux
}

// InitTrace starts r's binary once with GODEBUG=inittrace=1 and returns the
// wall-clock time each package's initialisation took (ms), largest first.
func InitTrace(ctx context.Context, r Run) ([]Share, error) {
	r.Env = append(append([]string(nil), r.Env...), "GODEBUG=inittrace=1")
	dir, err := os.MkdirTemp(r.LogDir, "inittrace-")
	if err != nil {
		return nil, err
	}
	r.LogDir = dir
	if _, err := ColdStarts(ctx, r, 1); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, r.Variant.Name+"-coldstart.log"))
	if err != nil {
		return nil, err
	}
	return ParseInitTrace(b), nil
}

// ParseInitTrace reads the runtime's inittrace lines, such as
// "init net/http @1.2 ms, 0.31 ms clock, 10240 bytes, 90 allocs", and
// returns each package's clock time (ms), largest first; other lines are
// skipped.
func ParseInitTrace(b []byte) []Share {
	var out []Share
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) < 7 || f[0] != "init" || f[5] != "ms" || !strings.HasPrefix(f[6], "clock") {
			continue
		}
		ms, err := strconv.ParseFloat(f[4], 64)
		if err != nil {
			continue
		}
		out = append(out, Share{Name: f[1], Value: ms})
	}
	slices.SortStableFunc(out, func(a, b Share) int { return cmpDesc(a.Value, b.Value) })
	return out
}
