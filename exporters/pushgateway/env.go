package pushgateway

import (
	"fmt"
	"strings"

	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
)

// envConfig reads the LUMEN_PUSHGATEWAY_* variables.
func envConfig(getenv func(string) string) (config, error) {
	c := config{url: getenv(EnvURL), job: getenv(EnvJob)}
	var err error
	if c.http, err = envconfig.ReadHTTP(getenv, envPrefix); err != nil {
		return config{}, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	if c.grouping, err = envconfig.Pairs(EnvGrouping, getenv(EnvGrouping)); err != nil {
		return config{}, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	return c, nil
}

// validate reports the first configuration error.
func (c config) validate() error {
	if c.url == "" {
		return fmt.Errorf("%w: no Pushgateway URL (set %s or use WithURL)", ErrInvalidConfig, EnvURL)
	}
	u, err := envconfig.ParseHTTPURL(c.url)
	if err != nil {
		return fmt.Errorf("%w: Pushgateway URL: %w", ErrInvalidConfig, err)
	}
	if strings.Contains(u.Path, "/metrics/") || strings.HasSuffix(u.Path, "/metrics") {
		return fmt.Errorf("%w: Pushgateway URL %q: give the base URL, without /metrics", ErrInvalidConfig, c.url)
	}
	for name := range c.grouping {
		if name == "job" || name == "instance" {
			return fmt.Errorf("%w: grouping label %q: use WithJob or WithInstance", ErrInvalidConfig, name)
		}
	}
	return nil
}
