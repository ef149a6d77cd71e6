package pushgateway

import (
	"fmt"
	"net/url"
	"strings"
)

// envConfig reads the LUMEN_PUSHGATEWAY_* variables and LUMEN_METRICS_INSTANCE.
func envConfig(getenv func(string) string) (config, error) {
	c := config{
		url:      getenv(EnvURL),
		job:      getenv(EnvJob),
		instance: getenv(EnvInstance),
		bearer:   getenv(EnvBearerToken),
	}
	if u, p := getenv(EnvUsername), getenv(EnvPassword); u != "" || p != "" {
		c.username, c.password, c.basicAuth = u, p, true
	}
	var err error
	if c.grouping, err = parsePairs(EnvGrouping, getenv(EnvGrouping)); err != nil {
		return config{}, err
	}
	if c.headers, err = parsePairs(EnvHeaders, getenv(EnvHeaders)); err != nil {
		return config{}, err
	}
	return c, nil
}

// parsePairs parses "name=value,name=value" with URL-encoded values, the
// format of OTEL_EXPORTER_OTLP_HEADERS. Empty input gives nil.
func parsePairs(variable, s string) (map[string]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	out := map[string]string{}
	for item := range strings.SplitSeq(s, ",") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		name, value, ok := strings.Cut(item, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("%w: %s: %q is not name=value", ErrInvalidConfig, variable, item)
		}
		v, err := url.PathUnescape(strings.TrimSpace(value))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: value of %q: %w", ErrInvalidConfig, variable, name, err)
		}
		out[name] = v
	}
	return out, nil
}

// validate reports the first configuration error.
func (c config) validate() error {
	if c.url == "" {
		return fmt.Errorf("%w: no Pushgateway URL (set %s or use WithURL)", ErrInvalidConfig, EnvURL)
	}
	u, err := url.Parse(c.url)
	if err != nil {
		return fmt.Errorf("%w: Pushgateway URL: %w", ErrInvalidConfig, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: Pushgateway URL %q: want http(s)://host[:port][/prefix]", ErrInvalidConfig, c.url)
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
