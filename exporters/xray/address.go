package xray

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// EnvDaemonAddress is the environment variable Lambda sets to the X-Ray
// daemon's address.
//
// Deprecated: the telemetry package reads it
// (telemetry.EnvXRayDaemonAddress) and passes it with [WithDaemonAddress].
const EnvDaemonAddress = "AWS_XRAY_DAEMON_ADDRESS"

// DefaultDaemonAddress is used when [WithDaemonAddress] gives no address.
const DefaultDaemonAddress = "127.0.0.1:2000"

// ErrInvalidAddress reports a daemon address that is neither "host:port"
// nor "tcp:host:port udp:host:port". It is wrapped in an [*AddressError].
var ErrInvalidAddress = errors.New("invalid X-Ray daemon address")

// AddressError describes a daemon address that could not be used.
type AddressError struct {
	// Value is the address as given.
	Value string
	// Err is ErrInvalidAddress, possibly joined with the parse error.
	Err error
}

// Error implements error.
func (e *AddressError) Error() string {
	return fmt.Sprintf("xray: %v: %q", e.Err, e.Value)
}

// Unwrap returns the underlying error, which matches [ErrInvalidAddress].
func (e *AddressError) Unwrap() error { return e.Err }

// ParseDaemonAddress returns the UDP host:port that the X-Ray daemon
// listens on, from either form accepted by AWS_XRAY_DAEMON_ADDRESS:
// "host:port", or "tcp:host:port udp:host:port" in either order (the TCP
// address serves sampling rules, which Lumen does not use).
func ParseDaemonAddress(s string) (string, error) {
	fields := strings.Fields(s)
	switch len(fields) {
	case 1:
		if err := checkHostPort(fields[0]); err != nil {
			return "", &AddressError{Value: s, Err: err}
		}
		return fields[0], nil
	case 2:
		var udp, tcp string
		for _, f := range fields {
			switch {
			case strings.HasPrefix(f, "udp:") && udp == "":
				udp = f[len("udp:"):]
			case strings.HasPrefix(f, "tcp:") && tcp == "":
				tcp = f[len("tcp:"):]
			default:
				return "", &AddressError{Value: s, Err: ErrInvalidAddress}
			}
		}
		if err := checkHostPort(udp); err != nil {
			return "", &AddressError{Value: s, Err: err}
		}
		if err := checkHostPort(tcp); err != nil {
			return "", &AddressError{Value: s, Err: err}
		}
		return udp, nil
	default:
		return "", &AddressError{Value: s, Err: ErrInvalidAddress}
	}
}

func checkHostPort(hp string) error {
	host, port, err := net.SplitHostPort(hp)
	if err != nil {
		return errors.Join(ErrInvalidAddress, err)
	}
	if host == "" {
		return fmt.Errorf("%w: empty host", ErrInvalidAddress)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 {
		return fmt.Errorf("%w: port %q", ErrInvalidAddress, port)
	}
	return nil
}
