package remotewrite

import (
	"fmt"
	"strings"

	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
)

// envConfig reads the LUMEN_REMOTE_WRITE_* variables.
func envConfig(getenv func(string) string) (config, error) {
	c := config{url: getenv(EnvURL), job: getenv(EnvJob)}
	var err error
	if c.http, err = envconfig.ReadHTTP(getenv, envPrefix); err != nil {
		return config{}, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	if c.labels, err = envconfig.Pairs(EnvLabels, getenv(EnvLabels)); err != nil {
		return config{}, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	return c, nil
}

// validate reports the first configuration error.
func (c config) validate() error {
	if c.url == "" {
		return fmt.Errorf("%w: no remote write URL (set %s or use WithURL)", ErrInvalidConfig, EnvURL)
	}
	if _, err := envconfig.ParseHTTPURL(c.url); err != nil {
		return fmt.Errorf("%w: remote write URL: %w", ErrInvalidConfig, err)
	}
	for name, value := range c.labels {
		switch {
		case name == "job" || name == "instance":
			return fmt.Errorf("%w: label %q: use WithJob or WithInstance", ErrInvalidConfig, name)
		case !validLabelName(name) || strings.HasPrefix(name, "__"):
			return fmt.Errorf("%w: label name %q", ErrInvalidConfig, name)
		case value == "":
			return fmt.Errorf("%w: label %q has an empty value", ErrInvalidConfig, name)
		}
	}
	if c.retries < 1 || c.minBackoff <= 0 || c.maxBackoff < c.minBackoff {
		return fmt.Errorf("%w: retries %d, backoff %s..%s: want at least 1 retry and 0 < min <= max",
			ErrInvalidConfig, c.retries, c.minBackoff, c.maxBackoff)
	}
	return nil
}

// validLabelName reports whether s matches [a-zA-Z_][a-zA-Z0-9_]*.
func validLabelName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
