package remotewrite

import "errors"

var (
	// ErrInvalidConfig is wrapped by every configuration error [New] returns.
	ErrInvalidConfig = errors.New("remotewrite: invalid configuration")
	// ErrShutdown is returned by [Exporter.ForceFlush] after
	// [Exporter.Shutdown].
	ErrShutdown = errors.New("remotewrite: exporter is shut down")
)
