// Package examplestest runs every function of the examples module
// (examples/, a Go module of its own) and the function deploy/template.yaml
// deploys under the real Lambda Runtime Interface Emulator, and requires
// each one's answer to its event: testdata/event.json and
// testdata/response.json (or, for a streamed answer, the prelude in
// response.json and the body in response.txt) beside its main package.
//
// The tests live in the main module because the examples module may not
// import the main module's internal packages (internal/rie,
// internal/testenv, internal/collector); the example binaries are built by
// `go build` run inside examples/, as a user of the module would build
// them. They are skipped under -short, and without the emulator (failing
// under CI=true).
package examplestest
