package promtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Groups returns the grouping keys (label sets) of every group the
// Pushgateway holds, read from its /api/v1/metrics endpoint.
func (s *Stack) Groups(ctx context.Context) ([]map[string]string, error) {
	return Groups(ctx, s.PushgatewayURL)
}

// Groups is [Stack.Groups] against the Pushgateway at baseURL.
func Groups(ctx context.Context, baseURL string) ([]map[string]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/api/v1/metrics", nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("pushgateway api: %s", resp.Status)
	}
	var r struct {
		Status string `json:"status"`
		Data   []struct {
			Labels map[string]string `json:"labels"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, fmt.Errorf("decode pushgateway api: %w", err)
	}
	if r.Status != "success" {
		return nil, fmt.Errorf("pushgateway api status %q", r.Status)
	}
	out := make([]map[string]string, 0, len(r.Data))
	for _, g := range r.Data {
		out = append(out, g.Labels)
	}
	return out, nil
}
