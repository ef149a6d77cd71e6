package workload

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
)

// Event is the benchmark's event.
type Event struct {
	// Name is greeted in the response.
	Name string `json:"name"`
	// Payload is padding that sets the event's size; the handler counts it.
	Payload string `json:"payload,omitempty"`
	// Stats asks for the process's counters instead of a greeting.
	Stats bool `json:"stats,omitempty"`
	// StopProfile, with Stats, ends the CPU profile of a binary built with
	// the benchprof tag and writes it (and an allocation profile) before
	// answering.
	StopProfile bool `json:"stop_profile,omitempty"`
}

// Response is the handler's answer.
type Response struct {
	// Message greets the event's name.
	Message string `json:"message"`
	// Bytes is the length of the event's payload.
	Bytes int `json:"bytes"`
	// Stats is set in the answer to a stats event.
	Stats *Stats `json:"stats,omitempty"`
}

// StopProfileEvent is a stats event that also ends the profile.
var StopProfileEvent = []byte(`{"stats":true,"stop_profile":true}`)

// stopProfile is set in binaries built with the benchprof tag.
var stopProfile func()

// StatsEvent is the encoded stats event. The floor variant, which decodes
// nothing, recognises it by these exact bytes.
var StatsEvent = []byte(`{"stats":true}`)

// Handle is the benchmark's handler: it greets the event's name, counts its
// payload and logs one line through slog's default logger, which each
// variant sets up its own way. A stats event is answered with [ReadStats]
// and logs nothing.
func Handle(ctx context.Context, ev Event) (Response, error) {
	if ev.Stats {
		if ev.StopProfile && stopProfile != nil {
			stopProfile()
		}
		s := ReadStats()
		return Response{Message: "stats", Stats: &s}, nil
	}
	slog.InfoContext(ctx, "greeted", "name", ev.Name, "bytes", len(ev.Payload))
	return Response{Message: "hello, " + ev.Name, Bytes: len(ev.Payload)}, nil
}

// NewEvent returns an encoded event of about size bytes (at least the
// smallest event, {"name":"bench"}).
func NewEvent(size int) []byte {
	base := `{"name":"bench"}`
	if size <= len(base) {
		return []byte(base)
	}
	pad := size - len(`{"name":"bench","payload":""}`)
	b, err := json.Marshal(Event{Name: "bench", Payload: strings.Repeat("x", max(pad, 0))})
	if err != nil {
		panic(err) // a string always encodes
	}
	return b
}

// Expected is the response Handle gives to the event NewEvent(size) made.
func Expected(event []byte) (Response, error) {
	var ev Event
	if err := json.Unmarshal(event, &ev); err != nil {
		return Response{}, err
	}
	return Response{Message: "hello, " + ev.Name, Bytes: len(ev.Payload)}, nil
}
