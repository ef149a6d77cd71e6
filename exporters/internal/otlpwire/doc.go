// Package otlpwire appends OTLP protobuf messages (ExportTraceServiceRequest,
// ExportMetricsServiceRequest, ExportLogsServiceRequest and the pieces they
// are made of) to byte slices the caller reuses, with protowire alone.
//
// It does not link the generated OTLP types (go.opentelemetry.io/proto/otlp)
// nor gRPC: the protobuf runtime's protowire package is all it needs, and
// client_golang already links that. Its tests decode every message with the
// official generated types and compare it field by field.
//
// Messages nest: a nested message is opened with [Open], which reserves one
// byte for its length, and closed with [Close], which writes the length and
// moves the body when the length needs more than one byte. Nothing is
// allocated once the destination slice has grown to its working size.
package otlpwire
