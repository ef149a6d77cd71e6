// Package runtimetest is a fake Lambda Runtime API for testing handlers and
// runtimes without Lambda.
//
// A [Server] is a real HTTP server on the loopback interface. It speaks the
// Runtime API (GET /runtime/invocation/next, POST …/response, …/error,
// /runtime/init/error, and the extension register and event calls), queues
// the invocations a test asks for with [Server.Invoke], and records what the
// runtime posted: body, headers, HTTP trailers, streaming mode and the typed
// error header. Any number of runtime workers may poll it at once, as under
// AWS_LAMBDA_MAX_CONCURRENCY.
//
// [Start] runs a handler on Lumen's runtime against a new Server for the
// length of a test:
//
//	srv := runtimetest.Start(t, handler)
//	res, err := srv.Invoke(t.Context(), []byte(`{"name":"Ada"}`))
//	// res.Body, res.Status, res.ErrorType, res.Trailer, res.Posts …
//
// Faults are scripted per invocation with [InvokeOption]s: a status for the
// runtime's post ([WithPostStatus]) or for the GET that would deliver the
// event ([WithNextStatus]), slow answers ([WithNextDelay], [WithPostDelay]),
// dropped connections ([WithDroppedNext], [WithDroppedPost]), and arbitrary,
// also malformed, event headers ([WithHeader]). Like the Runtime API, the
// server refuses a buffered response over 6 MB with 413
// ([WithResponseLimit]).
//
// The record of requests ([Server.Requests], [Server.Await]) proves
// ordering, for example that a flush ran after the post and before the next
// GET; [Server.InitErrors] and [Server.Extensions] hold the init errors and
// the registered extensions.
package runtimetest
