package promhttp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	clientpromhttp "github.com/prometheus/client_golang/prometheus/promhttp"
)

// Errors of [Server.Start].
var (
	// ErrStarted is returned by a second Start.
	ErrStarted = errors.New("promhttp: server already started")
	// ErrShutdown is returned by Start after Shutdown.
	ErrShutdown = errors.New("promhttp: server is shut down")
)

// Server serves one Gatherer on one address. Its methods are safe for
// concurrent use.
type Server struct {
	addr    string
	cfg     config
	handler http.Handler

	mu       sync.Mutex
	srv      *http.Server
	listener net.Listener
	started  bool
	stopped  bool
	served   chan struct{} // closed when Serve returns
}

// New returns an unstarted server of g's metrics on addr (host:port; empty
// means [DefaultAddr], port 0 a free port). A nil g or an invalid option is
// an error wrapping [ErrInvalidOption].
func New(g prometheus.Gatherer, addr string, opts ...Option) (*Server, error) {
	cfg := config{path: DefaultPath, errHandler: defaultErrorHandler}
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	if g == nil {
		cfg.errs = append(cfg.errs, fmt.Errorf("%w: nil Gatherer", ErrInvalidOption))
	}
	if addr == "" {
		addr = DefaultAddr
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		cfg.errs = append(cfg.errs, fmt.Errorf("%w: address %q: %w", ErrInvalidOption, addr, err))
	}
	if err := errors.Join(cfg.errs...); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(cfg.path, clientpromhttp.HandlerFor(g, clientpromhttp.HandlerOpts{
		ErrorLog:          errorLogger(cfg.errHandler),
		ErrorHandling:     clientpromhttp.ContinueOnError,
		EnableOpenMetrics: true,
	}))
	return &Server{addr: addr, cfg: cfg, handler: mux}, nil
}

// Handler returns the handler the server serves, for mounting elsewhere.
func (s *Server) Handler() http.Handler { return s.handler }

// Start listens on the address and serves in the background. ctx bounds the
// listen only; the server runs until [Server.Shutdown].
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.stopped:
		return ErrShutdown
	case s.started:
		return ErrStarted
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", s.addr)
	if err != nil {
		return fmt.Errorf("promhttp: listen on %s: %w", s.addr, err)
	}
	s.started, s.listener = true, l
	s.srv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 5 * time.Second}
	s.served = make(chan struct{})
	go func() {
		defer close(s.served)
		if err := s.srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.cfg.errHandler(fmt.Errorf("promhttp: serve: %w", err))
		}
	}()
	return nil
}

// Addr returns the address the server listens on once started (with the
// port chosen when the address had port 0), and the configured address
// before.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener != nil {
		return s.listener.Addr().String()
	}
	return s.addr
}

// URL returns the metrics URL of a started server.
func (s *Server) URL() string { return "http://" + s.Addr() + s.cfg.path }

// Shutdown stops the server: it stops accepting scrapes, waits for the ones
// in progress until ctx ends, then closes their connections. Later calls,
// and a call before Start, return nil.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return nil
	}
	s.stopped = true
	srv, served := s.srv, s.served
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	err := srv.Shutdown(ctx)
	if err != nil {
		err = errors.Join(fmt.Errorf("promhttp: shutdown: %w", err), srv.Close())
	}
	<-served
	return err
}

// errorLogger adapts an error handler to promhttp's Logger.
type errorLogger func(error)

func (l errorLogger) Println(v ...any) { l(errors.New(fmt.Sprint(v...))) }
