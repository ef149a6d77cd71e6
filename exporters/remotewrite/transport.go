package remotewrite

import "net/http"

// authTransport adds the configured headers and credentials to every
// request.
type authTransport struct {
	next http.RoundTripper
	cfg  *config
}

var _ http.RoundTripper = (*authTransport)(nil)

// RoundTrip implements http.RoundTripper. The request is cloned, as the
// RoundTripper contract asks.
func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	t.cfg.http.Apply(req)
	return t.next.RoundTrip(req)
}

// CloseIdleConnections closes the idle connections of the wrapped transport.
func (t *authTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// httpClient returns the client the exporter sends with and whether it is
// the exporter's own.
func httpClient(cfg *config) (*http.Client, bool) {
	if cfg.client == nil {
		next := http.DefaultTransport.(*http.Transport).Clone()
		return &http.Client{Transport: &authTransport{next: next, cfg: cfg}}, true
	}
	c := *cfg.client
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = &authTransport{next: next, cfg: cfg}
	return &c, false
}
