package invocation_test

import (
	"context"
	"fmt"

	"github.com/lumen-rt/lumen/invocation"
)

func ExampleFromContext() {
	// The runtime does this for every invocation; handlers only read it.
	info := &invocation.Info{ColdStart: true}
	info.Lambda.AwsRequestID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
	ctx := invocation.NewContext(context.Background(), info)

	if got, ok := invocation.FromContext(ctx); ok {
		fmt.Println(got.RequestID(), got.ColdStart)
	}
	// Output: 8476a536-e9f4-11e8-9739-2dfe598c3fcd true
}
