package examplestest

import (
	"archive/zip"
	"context"
	"debug/buildinfo"
	"debug/elf"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/internal/testenv"
	"github.com/lumen-rt/lumen/internal/xraytest"
	"github.com/lumen-rt/lumen/runtime"
)

// samTemplate is the part of deploy/template.yaml the test reads. Tags such
// as !Ref and !Equals parse as tagged nodes and are not decoded here.
type samTemplate struct {
	Transform string `yaml:"Transform"`
	Globals   struct {
		Function samFunction `yaml:"Function"`
	} `yaml:"Globals"`
	Resources map[string]struct {
		Type      string `yaml:"Type"`
		Condition string `yaml:"Condition"`
		Metadata  struct {
			LumenPackage string `yaml:"LumenPackage"`
		} `yaml:"Metadata"`
		Properties samFunction `yaml:"Properties"`
	} `yaml:"Resources"`
}

// samFunction is an AWS::Serverless::Function's properties, or their
// Globals.
type samFunction struct {
	Runtime       string   `yaml:"Runtime"`
	Handler       string   `yaml:"Handler"`
	CodeURI       string   `yaml:"CodeUri"`
	Architectures []string `yaml:"Architectures"`
	Tracing       string   `yaml:"Tracing"`
	LoggingConfig struct {
		LogFormat           string `yaml:"LogFormat"`
		ApplicationLogLevel string `yaml:"ApplicationLogLevel"`
	} `yaml:"LoggingConfig"`
	Environment struct {
		Variables map[string]string `yaml:"Variables"`
	} `yaml:"Environment"`
}

// deployedFunction is one function of the template with the Globals
// applied, as SAM applies them.
type deployedFunction struct {
	name, pkg string
	props     samFunction
	env       map[string]string
}

func or(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// readTemplate parses deploy/template.yaml and returns its functions.
func readTemplate(t *testing.T) []deployedFunction {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "deploy", "template.yaml"))
	require.NoError(t, err)
	var tpl samTemplate
	require.NoError(t, yaml.Unmarshal(b, &tpl))
	require.Equal(t, "AWS::Serverless-2016-10-31", tpl.Transform)
	g := tpl.Globals.Function
	var out []deployedFunction
	for name, r := range tpl.Resources {
		if r.Type != "AWS::Serverless::Function" {
			continue
		}
		p := r.Properties
		p.Runtime, p.Handler, p.Tracing = or(p.Runtime, g.Runtime), or(p.Handler, g.Handler), or(p.Tracing, g.Tracing)
		p.LoggingConfig.LogFormat = or(p.LoggingConfig.LogFormat, g.LoggingConfig.LogFormat)
		p.LoggingConfig.ApplicationLogLevel = or(p.LoggingConfig.ApplicationLogLevel, g.LoggingConfig.ApplicationLogLevel)
		if len(p.Architectures) == 0 {
			p.Architectures = g.Architectures
		}
		env := map[string]string{}
		for k, v := range g.Environment.Variables {
			env[k] = v
		}
		for k, v := range p.Environment.Variables {
			env[k] = v
		}
		out = append(out, deployedFunction{name: name, pkg: r.Metadata.LumenPackage, props: p, env: env})
	}
	return out
}

// goarch is the GOARCH of a Lambda architecture.
var goarch = map[string]string{"arm64": "arm64", "x86_64": "amd64"}

// elfMachine is the ELF machine of a Lambda architecture.
var elfMachine = map[string]elf.Machine{"arm64": elf.EM_AARCH64, "x86_64": elf.EM_X86_64}

// TestDeployTemplate reads deploy/template.yaml, requires what Lumen needs
// of each function (provided.al2023, bootstrap, active tracing, JSON logs,
// one function per architecture, arm64 and x86_64), builds the packages
// with scripts/package.sh (what `make package` runs), checks each zip
// against its function (a static bootstrap of the template's package for
// the function's architecture, built with -tags lambda.norpc), and runs the
// host's one under the emulator with the template's environment variables
// and what Lambda derives from LoggingConfig and Tracing: it answers the
// package's example event, sends its spans to the X-Ray daemon, writes
// JSON logs and EMF metrics in the template's namespace.
func TestDeployTemplate(t *testing.T) {
	requireEmulator(t)
	fns := readTemplate(t)
	var archs []string
	for _, fn := range fns {
		require.Equal(t, "provided.al2023", fn.props.Runtime, fn.name)
		require.Equal(t, "bootstrap", fn.props.Handler, fn.name)
		require.Equal(t, "Active", fn.props.Tracing, fn.name)
		require.Equal(t, "JSON", fn.props.LoggingConfig.LogFormat, fn.name)
		require.Len(t, fn.props.Architectures, 1, fn.name)
		arch := fn.props.Architectures[0]
		archs = append(archs, arch)
		require.Equal(t, "../.build/package/"+arch+"/bootstrap.zip", fn.props.CodeURI, "%s: CodeUri is what make package writes", fn.name)
		require.NotEmpty(t, fn.pkg, "%s: Metadata.LumenPackage names the main package", fn.name)
	}
	require.ElementsMatch(t, []string{"arm64", "x86_64"}, archs)

	out := t.TempDir()
	cmd := exec.Command("bash", filepath.Join(testenv.RepoRoot(), "scripts", "package.sh"), out)
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, "scripts/package.sh:\n%s", b)

	for _, fn := range fns {
		arch := fn.props.Architectures[0]
		bin := unzipBootstrap(t, filepath.Join(out, arch, "bootstrap.zip"))
		f, err := elf.Open(bin)
		require.NoError(t, err)
		require.Equal(t, elfMachine[arch], f.Machine, fn.name)
		require.Nil(t, f.Section(".interp"), "%s: a static binary", fn.name)
		require.NoError(t, f.Close())
		info, err := buildinfo.ReadFile(bin)
		require.NoError(t, err)
		require.Equal(t, path.Join("github.com/lumen-rt/lumen/examples", fn.pkg), info.Path, fn.name)
		settings := map[string]string{}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
		require.Equal(t, "lambda.norpc", settings["-tags"], fn.name)
		require.Equal(t, "true", settings["-trimpath"], fn.name)
		require.Equal(t, "0", settings["CGO_ENABLED"], fn.name)
		require.Equal(t, goarch[arch], settings["GOARCH"], fn.name)
		require.Equal(t, "linux", settings["GOOS"], fn.name)
		if goarch[arch] == goruntime.GOARCH {
			t.Run(fn.name, func(t *testing.T) { runTemplateFunction(t, fn, bin) })
		}
	}
}

// unzipBootstrap requires the zip to hold exactly an executable bootstrap
// and writes it to a temporary folder.
func unzipBootstrap(t *testing.T, zipPath string) string {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	require.NoError(t, err)
	defer zr.Close()
	require.Len(t, zr.File, 1)
	zf := zr.File[0]
	require.Equal(t, "bootstrap", zf.Name)
	require.Equal(t, os.FileMode(0o755), zf.Mode().Perm())
	rc, err := zf.Open()
	require.NoError(t, err)
	defer rc.Close()
	bin := filepath.Join(t.TempDir(), "bootstrap")
	f, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	require.NoError(t, err)
	_, err = io.Copy(f, rc)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	return bin
}

// runTemplateFunction runs the packaged bootstrap under the emulator as
// Lambda would run the template's function.
func runTemplateFunction(t *testing.T, fn deployedFunction, bin string) {
	daemon := xraytest.Start(t)
	env := []string{
		// What Lambda sets from LoggingConfig and Tracing: Active.
		"AWS_LAMBDA_LOG_FORMAT=" + fn.props.LoggingConfig.LogFormat,
		"AWS_LAMBDA_LOG_LEVEL=" + fn.props.LoggingConfig.ApplicationLogLevel,
		"AWS_XRAY_DAEMON_ADDRESS=" + daemon.Addr(),
	}
	for k, v := range fn.env {
		env = append(env, k+"="+v)
	}
	em := rie.StartClassic(t, bin, rie.WithFunctionName(fn.name), rie.WithEnv(env...))
	example := strings.TrimPrefix(fn.pkg, "./")
	resp, err := em.Invoke(t.Context(), testdata(t, example, "event.json"), nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.Status)
	requireAnswer(t, example, resp)

	handle, _ := waitFor(t, daemon, "lumen.handle", func(s segment) bool { return s.Name == runtime.SpanHandle })
	inv, trace := waitFor(t, daemon, "of the invocation", func(s segment) bool { return s.ID == handle.ParentID })
	// The invocation span is named after the route; X-Ray names keep only
	// the characters X-Ray accepts.
	require.Equal(t, "GET /greetings/_name_", inv.Name, "the trace: %+v", trace)

	emf := waitOutputLine(t, em, "an EMF document with faas_invocations_total", func(m map[string]any) bool {
		_, ok := m["faas_invocations_total"]
		return ok && m["_aws"] != nil
	})
	var doc struct {
		AWS struct {
			CloudWatchMetrics []struct{ Namespace string } `json:"CloudWatchMetrics"`
		} `json:"_aws"`
	}
	b, _ := json.Marshal(emf)
	require.NoError(t, json.Unmarshal(b, &doc))
	require.NotEmpty(t, doc.AWS.CloudWatchMetrics)
	require.Equal(t, fn.env["POWERTOOLS_METRICS_NAMESPACE"], doc.AWS.CloudWatchMetrics[0].Namespace)
	require.Equal(t, fn.name, emf["faas_name"])

	line := waitOutputLine(t, em, "the handler's JSON log line", func(m map[string]any) bool { return m["message"] == "greeting" })
	require.Equal(t, "INFO", line["level"])
	require.Regexp(t, uuidRE, line["requestId"])
	require.Equal(t, strings.ReplaceAll(strings.TrimPrefix(inv.TraceID, "1-"), "-", ""), line["trace_id"])
}

// waitOutputLine polls the emulator's output (the function's stdout and
// stderr pass through it) until a JSON line satisfies match.
func waitOutputLine(t *testing.T, em *rie.Emulator, what string, match func(map[string]any) bool) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), telemetryWait)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		for _, l := range strings.Split(em.Output(), "\n") {
			var m map[string]any
			if json.Unmarshal([]byte(l), &m) == nil && match(m) {
				return m
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no output line with %s", what)
		case <-tick.C:
		}
	}
}
