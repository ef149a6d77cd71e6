package tracing

import (
	"strings"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/lumen-rt/lumen/invocation"
)

// EnvFunctionVersion is the variable through which Lambda tells the function
// version an execution environment runs ($LATEST or a number).
//
// Deprecated: the telemetry package reads it (telemetry.EnvFunctionVersion);
// pass the version to [AppendAttributes].
const EnvFunctionVersion = "AWS_LAMBDA_FUNCTION_VERSION"

// AppendAttributes appends the attributes of the invocation span to dst,
// so that a caller reuses one buffer across invocations: the
// event's (faas.trigger first, see [Classify]) followed by
//
//   - faas.invocation_id: the AWS request id;
//   - faas.coldstart: whether this is the environment's first invocation;
//   - aws.lambda.invoked_arn: the ARN as the caller invoked it;
//   - cloud.resource_id: that ARN with an alias replaced by the version that
//     runs, version (AWS_LAMBDA_FUNCTION_VERSION; see [ResourceID]);
//   - cloud.account.id: the fifth field of the ARN.
//
// Absent values (no ARN, no request id) are left out. info may be nil.
func AppendAttributes(dst []attribute.KeyValue, info *invocation.Info, ev Event, version string) []attribute.KeyValue {
	dst = append(dst, ev.Attributes...)
	if info == nil {
		return dst
	}
	if id := info.RequestID(); id != "" {
		dst = append(dst, semconv.FaaSInvocationID(id))
	}
	dst = append(dst, semconv.FaaSColdstart(info.ColdStart))
	arn := info.InvokedFunctionARN()
	if arn == "" {
		return dst
	}
	a := parsedARN(arn, version)
	dst = append(dst, semconv.AWSLambdaInvokedARN(arn), semconv.CloudResourceID(a.resourceID))
	if a.account != "" {
		dst = append(dst, semconv.CloudAccountID(a.account))
	}
	return dst
}

// ResourceID returns the cloud.resource_id of a function invoked as
// invokedARN while running version: the ARN with an alias qualifier replaced
// by version.
//
//	arn:aws:lambda:eu-west-1:123456789012:function:api:live  + "7" → …:function:api:7
//	arn:aws:lambda:eu-west-1:123456789012:function:api:7     + "7" → unchanged
//	arn:aws:lambda:eu-west-1:123456789012:function:api       + "7" → unchanged
//
// An unqualified ARN, a version or $LATEST qualifier, an empty version and
// anything that is not a Lambda function ARN are returned as they are.
func ResourceID(invokedARN, version string) string {
	if version == "" {
		return invokedARN
	}
	// arn:partition:lambda:region:account:function:name:qualifier
	fields := 0
	qualifier := -1
	for i := 0; i < len(invokedARN); i++ {
		if invokedARN[i] == ':' {
			fields++
			if fields == 7 {
				qualifier = i + 1
				break
			}
		}
	}
	if qualifier < 0 || !strings.HasPrefix(invokedARN, "arn:") ||
		!strings.Contains(invokedARN[:qualifier], ":lambda:") {
		return invokedARN
	}
	q := invokedARN[qualifier:]
	if q == "" || q == "$LATEST" || isDigits(q) || strings.ContainsRune(q, ':') {
		return invokedARN
	}
	return invokedARN[:qualifier] + version
}

// AccountID returns the fifth :-separated field of an ARN, the AWS account
// id, or "" if arn has fewer fields.
func AccountID(arn string) string {
	for range 4 {
		i := strings.IndexByte(arn, ':')
		if i < 0 {
			return ""
		}
		arn = arn[i+1:]
	}
	if i := strings.IndexByte(arn, ':'); i >= 0 {
		return arn[:i]
	}
	return ""
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// arnInfo caches what is derived from the invoked ARN: an execution
// environment is invoked through very few ARNs, so the last one is kept to
// spare the allocation of an alias-resolved resource id per invocation.
type arnInfo struct {
	invoked, version    string
	resourceID, account string
}

var lastARN atomic.Pointer[arnInfo]

func parsedARN(invoked, version string) *arnInfo {
	if a := lastARN.Load(); a != nil && a.invoked == invoked && a.version == version {
		return a
	}
	a := &arnInfo{
		invoked:    invoked,
		version:    version,
		resourceID: ResourceID(invoked, version),
		account:    AccountID(invoked),
	}
	lastARN.Store(a)
	return a
}
