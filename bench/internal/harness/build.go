package harness

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// ModuleDir returns the bench module's root folder (the one holding go.mod).
func ModuleDir() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("harness: cannot locate the bench module")
	}
	dir := filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		return "", fmt.Errorf("harness: bench module: %w", err)
	}
	return dir, nil
}

// BuildKind chooses how a variant is built.
type BuildKind int

const (
	// Release is what a function ships: CGO_ENABLED=0, -trimpath,
	// -ldflags='-s -w' and -tags lambda.norpc.
	Release BuildKind = iota
	// Profiled is Release plus the benchprof tag, unstripped: the binary
	// writes CPU and allocation profiles when BENCH_PROFILE is set.
	Profiled
	// Symbols is Release unstripped, for reading symbol sizes.
	Symbols
)

// Build builds v into dir and returns the binary's path.
func Build(ctx context.Context, dir string, v Variant, kind BuildKind) (string, error) {
	mod, err := ModuleDir()
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, v.Command())
	args := []string{"build", "-trimpath", "-o", out}
	switch kind {
	case Release:
		args = append(args, "-tags", "lambda.norpc", "-ldflags=-s -w")
	case Profiled:
		out += ".prof"
		args[3] = out
		args = append(args, "-tags", "lambda.norpc,benchprof")
	case Symbols:
		out += ".syms"
		args[3] = out
		args = append(args, "-tags", "lambda.norpc")
	}
	args = append(args, "./cmd/"+v.Command())
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("harness: go %s: %w\n%s", strings.Join(args, " "), err, b)
	}
	return out, nil
}
