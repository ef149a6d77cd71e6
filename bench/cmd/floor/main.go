// Command floor is the benchmark's floor: no runtime and no handler, only the
// two HTTP round trips of an invocation (GET /next, POST /response) over one
// kept-alive loopback connection. It answers every event with its size, and a
// stats event with the process's counters.
package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"

	"github.com/lumen-rt/lumen/bench/internal/workload"
)

func main() {
	base := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/invocation/"
	client := &http.Client{Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 1}}
	var event bytes.Buffer
	out := make([]byte, 0, 64)
	for {
		resp, err := client.Get(base + "next")
		if err != nil {
			log.Fatal(err)
		}
		event.Reset()
		_, err = event.ReadFrom(resp.Body)
		resp.Body.Close()
		if err != nil {
			log.Fatal(err)
		}
		out = answer(out[:0], event.Bytes())
		resp, err = client.Post(base+resp.Header.Get("Lambda-Runtime-Aws-Request-Id")+"/response",
			"application/json", bytes.NewReader(out))
		if err != nil {
			log.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// answer appends the floor's response to event to dst.
func answer(dst, event []byte) []byte {
	if bytes.HasPrefix(event, workload.StatsEvent[:len(workload.StatsEvent)-1]) {
		s := workload.ReadStats()
		b, _ := json.Marshal(workload.Response{Message: "stats", Stats: &s})
		return append(dst, b...)
	}
	dst = append(dst, `{"message":"floor","bytes":`...)
	dst = strconv.AppendInt(dst, int64(len(event)), 10)
	return append(dst, '}')
}
