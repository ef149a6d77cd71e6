package promtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// pollInterval is how often [Stack.Query] asks again for a result that is
// not there yet.
const pollInterval = 50 * time.Millisecond

// Sample is one element of an instant query's result.
type Sample struct {
	// Metric is the sample's label set, __name__ included when kept.
	Metric map[string]string
	// Value is the sample's value.
	Value float64
}

// Query runs the instant PromQL query promql against Prometheus, polling
// until the result vector is non-empty or ctx ends. A scalar result counts
// as one sample with no labels. On ctx's end the error wraps ctx.Err() and
// says what the last answer was; a query Prometheus rejects returns a
// [*QueryError] at once.
func (s *Stack) Query(ctx context.Context, promql string) ([]Sample, error) {
	return Query(ctx, s.PrometheusURL, promql)
}

// Value runs promql like [Stack.Query] and returns the value of its single
// sample; a result with more than one sample is an error.
func (s *Stack) Value(ctx context.Context, promql string) (float64, error) {
	res, err := s.Query(ctx, promql)
	if err != nil {
		return 0, err
	}
	if len(res) != 1 {
		return 0, fmt.Errorf("query %q: want one sample, got %d: %v", promql, len(res), res)
	}
	return res[0].Value, nil
}

// Query is [Stack.Query] against the Prometheus server at baseURL.
func Query(ctx context.Context, baseURL, promql string) ([]Sample, error) {
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	var last error
	for {
		res, err := queryOnce(ctx, baseURL, promql)
		var bad *QueryError
		switch {
		case errors.As(err, &bad):
			return nil, err
		case err != nil && ctx.Err() != nil:
			// The request was cut by ctx; the previous answer says more.
		case err != nil:
			last = err
		case len(res) > 0:
			return res, nil
		default:
			last = errors.New("empty result")
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("query %q: %w (last answer: %v)", promql, ctx.Err(), last)
		case <-tick.C:
		}
	}
}

// QueryError is a query Prometheus rejected, such as a PromQL syntax error.
type QueryError struct {
	// Query is the PromQL text.
	Query string
	// Status is the HTTP status code of the answer.
	Status int
	// Message is Prometheus' error message.
	Message string
}

// Error implements error.
func (e *QueryError) Error() string {
	return fmt.Sprintf("query %q rejected (HTTP %d): %s", e.Query, e.Status, e.Message)
}

// apiResponse is the envelope of Prometheus' HTTP API.
type apiResponse struct {
	Status string `json:"status"`
	Error  string `json:"error"`
	Data   struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	} `json:"data"`
}

// queryOnce runs one instant query.
func queryOnce(ctx context.Context, baseURL, promql string) ([]Sample, error) {
	u := baseURL + "/api/v1/query?" + url.Values{"query": {promql}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var r apiResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("decode %s: %w: %s", resp.Status, err, body)
	}
	if r.Status != "success" {
		return nil, &QueryError{Query: promql, Status: resp.StatusCode, Message: r.Error}
	}
	switch r.Data.ResultType {
	case "vector":
		var v []struct {
			Metric map[string]string `json:"metric"`
			Value  [2]any            `json:"value"`
		}
		if err := json.Unmarshal(r.Data.Result, &v); err != nil {
			return nil, err
		}
		out := make([]Sample, 0, len(v))
		for _, e := range v {
			f, err := parseValue(e.Value[1])
			if err != nil {
				return nil, err
			}
			out = append(out, Sample{Metric: e.Metric, Value: f})
		}
		return out, nil
	case "scalar":
		var v [2]any
		if err := json.Unmarshal(r.Data.Result, &v); err != nil {
			return nil, err
		}
		f, err := parseValue(v[1])
		if err != nil {
			return nil, err
		}
		return []Sample{{Value: f}}, nil
	default:
		return nil, fmt.Errorf("query %q: unsupported result type %q", promql, r.Data.ResultType)
	}
}

// parseValue parses a sample value, which the API sends as a string.
func parseValue(v any) (float64, error) {
	s, ok := v.(string)
	if !ok {
		return 0, fmt.Errorf("sample value %v is not a string", v)
	}
	return strconv.ParseFloat(s, 64)
}

// client asks the servers without keeping connections open, so no
// connection goroutine outlives a test.
var client = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
