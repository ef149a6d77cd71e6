// Command awslambda is the benchmark's function on aws-lambda-go, bare:
// lambda.Start and nothing else.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/lumen-rt/lumen/bench/internal/workload"
)

func main() {
	lambda.Start(workload.Handle)
}
