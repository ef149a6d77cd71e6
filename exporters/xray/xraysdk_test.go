package xray

import (
	"bytes"
	"encoding/json"
	"testing"

	xraysdk "github.com/aws/aws-xray-sdk-go/xray"
	"github.com/stretchr/testify/require"
)

// decodeSegment decodes a document into aws-xray-sdk-go's segment model,
// refusing any field the model does not know, and its nested subsegments
// the same way, by name.
func decodeSegment(t *testing.T, doc []byte, into map[string]*xraysdk.Segment) *xraysdk.Segment {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	var seg xraysdk.Segment
	require.NoError(t, dec.Decode(&seg), "%s", doc)
	into[seg.Name] = &seg
	for _, raw := range seg.Subsegments {
		decodeSegment(t, raw, into)
	}
	return &seg
}

// TestXRaySDKModel decodes the nested document of a rich invocation with
// the X-Ray SDK's own types: every field is one X-Ray's model has, with the
// type it expects, and the nesting is the model's.
func TestXRaySDKModel(t *testing.T) {
	d := startDaemon(t)
	exp := newExporter(t, d)
	require.NoError(t, exp.ExportSpans(t.Context(), richInvocation().Snapshots()))
	var b []byte
	select {
	case b = <-d.got:
	case <-t.Context().Done():
		t.Fatal(t.Context().Err())
	}
	d.none(t, t.Context())
	require.True(t, bytes.HasPrefix(b, []byte(Header)))

	segs := map[string]*xraysdk.Segment{}
	root := decodeSegment(t, b[len(Header):], segs)
	require.Len(t, segs, 6)

	require.Equal(t, "GET /hello", root.Name)
	require.Equal(t, "1-5759e988-bd862e3fe1be46a994272793", root.TraceID)
	require.Equal(t, "53995c3f42cd8ad8", root.ParentID)
	require.Equal(t, "subsegment", root.Type)
	require.Equal(t, "a000000000000001", root.ID)
	require.Len(t, root.Subsegments, 3)
	require.Equal(t, &xraysdk.RequestData{
		Method: "GET", URL: "https://abc.execute-api.eu-west-1.amazonaws.com/hello",
		ClientIP: "203.0.113.9", XForwardedFor: true,
	}, root.HTTP.Request)
	require.Equal(t, 200, root.HTTP.Response.Status)
	require.Equal(t, "http", root.Metadata["default"]["faas.trigger"])

	handle := segs["lumen.handle"]
	require.Empty(t, handle.TraceID, "nested: from the enclosing document")
	require.Empty(t, handle.ParentID)
	require.Empty(t, handle.Type)
	require.Len(t, handle.Subsegments, 2)
	require.True(t, handle.Fault)
	require.Equal(t, "t-1", handle.Annotations["tenant_id"])
	require.Equal(t, []any{"a"}, handle.Metadata["default"]["tags"])
	exc := handle.Cause.Exceptions
	require.Len(t, exc, 1)
	require.Equal(t, "boom", exc[0].Message)
	require.Equal(t, "*errors.errorString", exc[0].Type)
	require.Equal(t, 12, exc[0].Stack[0].Line)
	require.Equal(t, "main.handler()", exc[0].Stack[0].Label)

	dynamo := segs["DynamoDB"]
	require.Equal(t, "aws", dynamo.Namespace)
	require.Equal(t, map[string]any{"operation": "GetItem", "region": "eu-west-1", "request_id": "R1"}, dynamo.AWS)
	require.True(t, dynamo.Throttle)
	require.True(t, dynamo.Error)
	require.False(t, dynamo.Fault)

	api := segs["api.example.com"]
	require.Equal(t, "remote", api.Namespace)
	require.True(t, api.Error)
	require.Equal(t, 404, api.HTTP.Response.Status)
	require.Equal(t, "https://api.example.com/x", api.HTTP.Request.URL)

	for name, seg := range segs {
		require.Greater(t, seg.EndTime, seg.StartTime, name)
		require.Len(t, seg.ID, 16, name)
	}
}
