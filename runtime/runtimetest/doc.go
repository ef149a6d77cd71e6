// Package runtimetest is a fake Lambda Runtime API for testing handlers and
// runtimes without Lambda.
//
// A [Server] is a real HTTP server on the loopback interface. It speaks the
// Runtime API (GET /runtime/invocation/next, POST …/response, …/error,
// /runtime/init/error, and the extension register and event calls), queues
// the invocations a test asks for with [Server.Invoke], and records what the
// runtime posted: body, headers, HTTP trailers, streaming mode and the typed
// error header.
//
// Faults are scripted per invocation: a status code for the runtime's post or
// for the GET that would deliver the event, slow answers, dropped
// connections, and arbitrary (also malformed) invocation headers.
//
// [Start] runs a handler on Lumen's runtime against a new Server for the
// length of a test:
//
//	srv := runtimetest.Start(t, handler)
//	res, err := srv.Invoke(ctx, []byte(`{"name":"Ada"}`))
package runtimetest
