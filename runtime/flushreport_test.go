package runtime

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
)

// The flush point's reports reach the handler in order, on a goroutine of
// their own; beyond the queue they are dropped while the handler blocks;
// close hands over what is queued, waiting for a blocked handler only until
// its end.
func TestFlushReports(t *testing.T) {
	t.Run("in order, all handed over at close", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var mu sync.Mutex
			var got []string
			r := newFlushReports(func(err error) {
				mu.Lock()
				defer mu.Unlock()
				got = append(got, err.Error())
			})
			for i := range 10 {
				r.report(fmt.Errorf("report %d", i))
			}
			r.close(time.Now().Add(time.Second))
			mu.Lock()
			defer mu.Unlock()
			require.Len(t, got, 10)
			for i, s := range got {
				require.Equal(t, fmt.Sprintf("report %d", i), s)
			}
			require.Zero(t, r.dropped.Load())
		})
	})
	t.Run("a blocked handler", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			release := make(chan struct{})
			var handed sync.WaitGroup
			handed.Add(1)
			var calls int
			r := newFlushReports(func(error) {
				calls++
				if calls == 1 {
					handed.Done()
					<-release
				}
			})
			r.report(errors.New("first"))
			handed.Wait() // the handler holds the first report
			for range reportQueue + 6 {
				r.report(errors.New("more"))
			}
			require.Equal(t, uint64(6), r.dropped.Load(), "beyond the queue")
			start := time.Now()
			r.close(start.Add(100 * time.Millisecond))
			require.Equal(t, 100*time.Millisecond, time.Since(start), "close waits for a blocked handler until its end only")
			close(release)
			synctest.Wait()
			require.Equal(t, 1+reportQueue, calls, "the queued reports are handed over once it returns")
		})
	})
}
