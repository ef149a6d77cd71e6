// Package e2e holds Lumen's end-to-end tests: the runtime serving the test
// function in ./testfunc under the real AWS Lambda Runtime Interface
// Emulator, in both of its modes, driven by package internal/rie. The tests
// are skipped under `go test -short`; a missing emulator (or, for
// managed-instances mode, missing root) skips them locally and fails them
// under CI=true.
package e2e
