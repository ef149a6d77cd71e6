package xraytest_test

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/xraytest"
)

func TestDaemonFlattensSubsegments(t *testing.T) {
	d := xraytest.Start(t)
	conn, err := net.Dial("udp", d.Addr())
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte(`{"format": "json", "version": 1}` + "\n" +
		`{"name":"fn","id":"a","trace_id":"1-t","parent_id":"p","type":"subsegment","subsegments":[` +
		`{"name":"handle","id":"b","fault":true,"subsegments":[{"name":"work","id":"c"}]}]}`))
	require.NoError(t, err)

	docs := d.Await(t, 30*time.Second, "three documents", func(docs []xraytest.Segment) bool { return len(docs) == 3 })
	byName := map[string]xraytest.Segment{}
	for _, doc := range xraytest.OfTrace(docs, "1-t") {
		require.Empty(t, doc.Subsegments)
		byName[doc.Name] = doc
	}
	require.Len(t, byName, 3)
	require.Equal(t, "p", byName["fn"].ParentID)
	require.Equal(t, "a", byName["handle"].ParentID)
	require.True(t, byName["handle"].Fault)
	require.Equal(t, "b", byName["work"].ParentID)
	require.Equal(t, "subsegment", byName["work"].Type)
	require.Equal(t, 1, d.Datagrams("1-t"))
}
