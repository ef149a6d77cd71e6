package faultproxy

import (
	"fmt"
	"net/http"
	"time"
)

// Kind is one way a backend fails, or none.
type Kind uint8

// The kinds of [Fault].
const (
	// KindHealthy forwards every connection to the upstream.
	KindHealthy Kind = iota
	// KindRefused closes the listener: connections are refused.
	KindRefused
	// KindBlackholed accepts connections, reads them and never answers.
	KindBlackholed
	// KindSlow answers each HTTP request by forwarding it after a delay.
	KindSlow
	// KindAnswer answers each HTTP request with a fixed answer.
	KindAnswer
	// KindGarbage answers bytes that are not HTTP, then closes.
	KindGarbage
)

// Fault is what a [Proxy] does with the connections and requests it gets.
// Build one with [Slow] or [Answer], or use [Healthy], [Refused],
// [Blackholed] or [Garbage].
type Fault struct {
	kind   Kind
	delay  time.Duration // KindSlow
	status int           // KindAnswer
	header http.Header   // KindAnswer
	body   string        // KindAnswer
}

// The faults with no parameter.
var (
	// Healthy forwards everything: the path works.
	Healthy = Fault{kind: KindHealthy}
	// Refused: nothing listens, connections are refused.
	Refused = Fault{kind: KindRefused}
	// Blackholed: connections are accepted and never answered.
	Blackholed = Fault{kind: KindBlackholed}
	// Garbage: every connection is answered with bytes that are not HTTP.
	Garbage = Fault{kind: KindGarbage}
)

// garbage is what a [Garbage] connection is answered with.
const garbage = "\x00\x17\xfflumen-faultproxy: this is not HTTP\r\n\r\n\x00"

// Slow answers every HTTP request d after it arrived, by forwarding it to
// the upstream then; a request whose caller gave up meanwhile is never
// forwarded.
func Slow(d time.Duration) Fault { return Fault{kind: KindSlow, delay: d} }

// Answer answers every HTTP request with status and body without
// forwarding it; header holds "Name", "value" pairs, such as "Retry-After",
// "1". A status of 200 with a body the caller cannot read is a garbage
// answer at the HTTP level.
func Answer(status int, body string, header ...string) Fault {
	h := make(http.Header, len(header)/2)
	for i := 0; i+1 < len(header); i += 2 {
		h.Add(header[i], header[i+1])
	}
	return Fault{kind: KindAnswer, status: status, header: h, body: body}
}

// Kind returns the fault's kind.
func (f Fault) Kind() Kind { return f.kind }

// String names the fault for test names and logs.
func (f Fault) String() string {
	switch f.kind {
	case KindHealthy:
		return "healthy"
	case KindRefused:
		return "refused"
	case KindBlackholed:
		return "blackholed"
	case KindSlow:
		return fmt.Sprintf("slow %s", f.delay)
	case KindGarbage:
		return "garbage bytes"
	case KindAnswer:
		s := fmt.Sprintf("HTTP %d", f.status)
		if ra := f.header.Get("Retry-After"); ra != "" {
			s += " Retry-After " + ra
		}
		if f.status < 300 && f.body != "" {
			s += " garbage body"
		}
		return s
	}
	return fmt.Sprintf("fault(%d)", f.kind)
}

// http reports whether the fault is served by the proxy's HTTP server.
func (f Fault) http() bool { return f.kind == KindSlow || f.kind == KindAnswer }
