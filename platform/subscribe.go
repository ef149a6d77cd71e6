package platform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Telemetry API constants.
const (
	// APIVersion is the Telemetry API's path version.
	APIVersion = "2022-07-01"
	// SchemaVersion is the event schema Lumen subscribes with by default:
	// the one Lambda Managed Instances require, which Lambda's default
	// functions accept too.
	SchemaVersion = "2025-01-29"
	// SchemaVersion20221213 is the oldest schema Lumen accepts: the first
	// to send function logs of JSON log format as objects.
	SchemaVersion20221213 = "2022-12-13"
	// DestinationHost is the host Lambda delivers telemetry to, the
	// execution environment itself. The Runtime Interface Emulator accepts
	// it (and "sandbox") and delivers to 127.0.0.1.
	DestinationHost = "sandbox.localdomain"
	// headerExtensionID identifies the subscribing extension.
	headerExtensionID = "Lambda-Extension-Identifier"
	// errorTypeNotSupported is what the emulator's classic mode answers.
	errorTypeNotSupported = "Telemetry.NotSupported"
)

// Buffering defaults, those of the OpenTelemetry Lambda layer's receiver:
// the Telemetry API's minimum batch size and its shortest timeout, so that
// an invocation's report is delivered within 25 ms of being emitted.
const (
	DefaultMaxItems = 1000
	DefaultMaxBytes = 256 << 10
	DefaultTimeout  = 25 * time.Millisecond
)

// The Telemetry API's buffering limits.
const (
	MinMaxItems = 1000
	MaxMaxItems = 10000
	MinMaxBytes = 256 << 10
	MaxMaxBytes = 1 << 20
	MinTimeout  = 25 * time.Millisecond
	MaxTimeout  = 30 * time.Second
)

// ErrNotSupported is returned by [Platform.Subscribe] where the Telemetry
// API is not offered: the Runtime Interface Emulator's classic mode
// answers every subscription with 202 and Telemetry.NotSupported. The
// function carries on without platform telemetry.
var ErrNotSupported = errors.New("the Telemetry API is not supported here")

// APIError is a subscription the Telemetry API refused.
type APIError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Type and Message are the answer's errorType and errorMessage, if it
	// had them.
	Type, Message string
}

func (e *APIError) Error() string {
	if e.Type == "" {
		return "telemetry subscription refused: HTTP " + strconv.Itoa(e.StatusCode)
	}
	return fmt.Sprintf("telemetry subscription refused: HTTP %d %s: %s", e.StatusCode, e.Type, e.Message)
}

// Is reports a Telemetry.NotSupported answer as [ErrNotSupported].
func (e *APIError) Is(target error) bool {
	return target == ErrNotSupported && (e.Type == errorTypeNotSupported || e.StatusCode == http.StatusAccepted)
}

// subscription is the body of PUT /2022-07-01/telemetry.
type subscription struct {
	SchemaVersion string      `json:"schemaVersion"`
	Types         []string    `json:"types"`
	Buffering     buffering   `json:"buffering"`
	Destination   destination `json:"destination"`
}

type buffering struct {
	MaxItems  int   `json:"maxItems"`
	MaxBytes  int   `json:"maxBytes"`
	TimeoutMs int64 `json:"timeoutMs"`
}

type destination struct {
	Protocol string `json:"protocol"`
	URI      string `json:"URI"`
}

// subscribe sends the subscription for a listener on port.
func (c *config) subscribe(ctx context.Context, client *http.Client, runtimeAPI, extensionID string, port int) error {
	types := []string{"platform"}
	if c.logs != nil {
		types = append(types, TypeFunction, TypeExtension)
	}
	body, err := json.Marshal(subscription{
		SchemaVersion: c.schemaVersion,
		Types:         types,
		Buffering:     buffering{MaxItems: c.maxItems, MaxBytes: c.maxBytes, TimeoutMs: c.timeout.Milliseconds()},
		Destination:   destination{Protocol: "HTTP", URI: "http://" + DestinationHost + ":" + strconv.Itoa(port) + "/"},
	})
	if err != nil {
		return err
	}
	url := "http://" + runtimeAPI + "/" + APIVersion + "/telemetry"
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set(headerExtensionID, extensionID)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	// 202 is the emulator's stub; anything else but 200 is a refusal.
	apiErr := &APIError{StatusCode: resp.StatusCode}
	var doc struct {
		Type    string `json:"errorType"`
		Message string `json:"errorMessage"`
	}
	if json.Unmarshal(answer, &doc) == nil {
		apiErr.Type, apiErr.Message = doc.Type, doc.Message
	}
	return apiErr
}
