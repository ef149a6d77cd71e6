package envconfig

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
)

// Suffixes of the variables [ReadHTTP] reads after an exporter's prefix.
const (
	SuffixUsername    = "USERNAME"
	SuffixPassword    = "PASSWORD"
	SuffixBearerToken = "BEARER_TOKEN"
	SuffixHeaders     = "HEADERS"
)

// ErrInvalidURL is wrapped by the errors of [ParseHTTPURL].
var ErrInvalidURL = errors.New("invalid URL, want http(s)://host[:port][/path]")

// HTTP is what an exporter adds to each of its requests: headers and
// credentials.
type HTTP struct {
	// Username and Password are sent as basic authentication when
	// BasicAuth is set.
	Username, Password string
	BasicAuth          bool
	// BearerToken, if set, is sent as "Authorization: Bearer <token>"
	// unless BasicAuth is set.
	BearerToken string
	// Headers are set on every request.
	Headers map[string]string
}

// ReadHTTP reads <prefix>USERNAME, <prefix>PASSWORD, <prefix>BEARER_TOKEN
// and <prefix>HEADERS ("Name=value,Name=value", see [Pairs]). Either of
// username and password turns basic authentication on.
func ReadHTTP(getenv func(string) string, prefix string) (HTTP, error) {
	h := HTTP{BearerToken: getenv(prefix + SuffixBearerToken)}
	if u, p := getenv(prefix+SuffixUsername), getenv(prefix+SuffixPassword); u != "" || p != "" {
		h.Username, h.Password, h.BasicAuth = u, p, true
	}
	var err error
	h.Headers, err = Pairs(prefix+SuffixHeaders, getenv(prefix+SuffixHeaders))
	return h, err
}

// Apply sets the headers, then the Authorization header, on req.
func (h *HTTP) Apply(req *http.Request) {
	for name, value := range h.Headers {
		req.Header.Set(name, value)
	}
	if h.BearerToken != "" {
		req.Header.Set("Authorization", "Bearer "+h.BearerToken)
	}
	if h.BasicAuth {
		req.SetBasicAuth(h.Username, h.Password)
	}
}

// Merge returns a copy of m with the entries of add, which replace those of
// the same name. m is not modified, so a config copied by value can be
// changed without changing the original.
func Merge(m, add map[string]string) map[string]string {
	out := make(map[string]string, len(m)+len(add))
	maps.Copy(out, m)
	maps.Copy(out, add)
	return out
}

// ParseHTTPURL parses an endpoint URL and checks that it is absolute, with
// an http or https scheme and a host. The error wraps [ErrInvalidURL].
func ParseHTTPURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidURL, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q: %w", raw, ErrInvalidURL)
	}
	return u, nil
}
