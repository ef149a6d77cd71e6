// Package rie runs Lumen functions under the real AWS Lambda Runtime
// Interface Emulator (aws-lambda-rie, installed by `make tools`) for
// integration tests, and invokes them the way a Lambda caller would.
//
// The emulator has two implementations, chosen by whether
// AWS_LAMBDA_MAX_CONCURRENCY is set, and this package starts either:
//
//   - [Classic] runs unprivileged from any folder with the bootstrap given on
//     the command line. It starts the runtime lazily on the first invoke and
//     again after every reset (panic, timeout, init failure). It crashes on
//     overlapping invokes, so [Emulator.Invoke] serialises them. It forwards
//     no X-Amzn-Trace-Id to the runtime and drops every response header.
//   - [ManagedInstances] (Lambda Managed Instances, "LMI") runs
//     AWS_LAMBDA_MAX_CONCURRENCY runtime workers, forwards the trace header
//     and reports function errors in an Error-Type response header. It needs
//     root, ignores a bootstrap argument, only executes /var/runtime/bootstrap,
//     /var/task/bootstrap or /opt/bootstrap, and answers 400
//     Runtime.Unavailable when no worker is parked in GET /next;
//     [Emulator.Invoke] re-sends those.
//
// # Managed-instances mode without touching the machine
//
// The emulator is started as root under `unshare -m --propagation private`,
// in a private mount namespace that dies with it. Inside, a shell mounts a
// tmpfs on /var (hiding the host's /var from this process tree only),
// creates /var/task, bind-mounts the bootstrap file onto
// /var/task/bootstrap, changes to /var/task and execs the emulator. The
// emulator then execs the runtime as uid 993, gid 990; a bind mount does not
// need the source's folders to be readable by that user. Nothing is written
// outside the namespace, and the mounts vanish when the emulator exits.
// Without root or without CAP_SYS_ADMIN the test is reported through
// testenv.Missing: skipped locally, failed under CI=true.
//
// Every emulator listens on free 127.0.0.1 ports and is stopped, with its
// runtime, when the test that started it ends.
package rie
