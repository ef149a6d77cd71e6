package pushgateway

import (
	"context"
	"net/http"

	"github.com/prometheus/client_golang/prometheus/push"
)

// boundDoer sends each request of one push or delete with the caller's
// context and the configured headers and credentials. The push package
// builds its delete request without a context; this is what bounds it.
type boundDoer struct {
	ctx  context.Context
	next push.HTTPDoer
	cfg  *config
}

var _ push.HTTPDoer = boundDoer{}

// Do implements push.HTTPDoer.
func (d boundDoer) Do(req *http.Request) (*http.Response, error) {
	req = req.WithContext(d.ctx)
	req.Header = req.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	d.cfg.http.Apply(req)
	return d.next.Do(req)
}
