package pushgateway

import "errors"

var (
	// ErrInvalidConfig is wrapped by every configuration error [New] returns.
	ErrInvalidConfig = errors.New("pushgateway: invalid configuration")
	// ErrShutdown is returned by [Exporter.ForceFlush] after
	// [Exporter.Shutdown].
	ErrShutdown = errors.New("pushgateway: exporter is shut down")
)
