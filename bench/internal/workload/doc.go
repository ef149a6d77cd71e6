// Package workload is the one function every benchmark variant runs: the
// same event type, the same handler and the same way of reporting the
// process's own counters, so that the variants differ only in the runtime
// around the handler.
//
// An event with Stats set is not handled: the answer carries the process's
// allocation counters and CPU time instead ([ReadStats]), read the same way
// in every variant, so the driver can take differences around a measured
// run from outside the process.
package workload
