// Package xray exports finished OpenTelemetry spans to the AWS X-Ray daemon
// as segment documents over UDP, the way the X-Ray SDKs do, without the SDK.
//
// Each datagram is the header {"format": "json", "version": 1} and a
// newline, then one JSON document, sent to AWS_XRAY_DAEMON_ADDRESS (default
// 127.0.0.1:2000; "host:port" or "tcp:host:port udp:host:port"). Lambda sets
// that variable and runs the daemon when active tracing is on.
//
// Inside Lambda, Lambda owns the function segment and the runtime's
// invocation span has the trace header's Parent as its remote parent. Each
// span of an export whose parent is not in that export, local or remote, is
// sent as an independent subsegment ("type": "subsegment") whose parent_id
// is that parent's span id in X-Ray form, with every descendant in the
// export nested in its "subsegments" (without trace_id and parent_id, which
// X-Ray takes from the enclosing document), children in start order. So an
// invocation exported at the flush point, its span with lumen.receive,
// lumen.handle (and the handler's spans under it) and lumen.post, is one
// datagram; lumen.init, also a child of Lambda's segment, is another. A
// span without a parent is sent as a segment. Trace ids are written as
// X-Ray Roots (1-5759e988-bd862e3fe1be46a994272793): generate them with
// tracing.IDGenerator so X-Ray accepts their time part.
//
// The document carries: name, id, trace_id, parent_id, start_time and
// end_time (seconds), namespace ("remote" for CLIENT spans, "aws" for AWS SDK
// calls, rpc.system=aws-api), http{request,response} from the HTTP semantic
// conventions (current and older names), fault, error and throttle from the
// span status and the HTTP status code, cause.exceptions from "exception"
// events, annotations for string, number and boolean attributes whose keys
// X-Ray can index ([A-Za-z0-9_], at most 50), and metadata (namespace
// "default") for every other attribute.
//
// A nested document larger than [MaxDatagramSize] is split: the span is
// sent alone and each child with its descendants separately, with its
// parent_id, and so on down. A document of one span that is still too large
// is trimmed (metadata first, then exception stacks); if it still does not
// fit it is dropped, its children still sent. Dropped spans are counted
// through the configured [exporters.DropCounter] and reported by the error
// ExportSpans returns. Sending is a non-blocking UDP write bounded by the
// caller's context: a dead daemon never stalls the caller.
package xray
