package rie

import (
	"os"
	"os/exec"
	"testing"

	"github.com/lumen-rt/lumen/internal/testenv"
)

// managedScript runs inside the private mount namespace. $1 is the
// bootstrap, $2 the emulator, the rest the emulator's flags. The tmpfs on
// /var hides the host's /var from this process tree only; the bind mount
// makes the bootstrap executable at the one path the emulator accepts,
// whatever the permissions of the folders it was built in.
const managedScript = `set -eu
boot="$1"; rie="$2"; shift 2
mount -t tmpfs -o mode=0755,size=16m lumen-rie /var
mkdir -p /var/task /var/runtime
: > /var/task/bootstrap
mount --bind "$boot" /var/task/bootstrap
cd /var/task
exec "$rie" "$@"
`

// managedCommand builds the command that runs the emulator in
// managed-instances mode: `unshare -m --propagation private sh -c script`.
// unshare execs sh, which execs the emulator, so the emulator keeps the pid
// testenv.Start signals.
func managedCommand(t testing.TB, tool, bootstrap string, flags []string) *exec.Cmd {
	t.Helper()
	if os.Geteuid() != 0 {
		testenv.Missing(t, "the emulator's managed-instances mode needs root")
	}
	unshare, ok := testenv.LookTool("unshare")
	if !ok {
		testenv.Missing(t, "the emulator's managed-instances mode needs unshare (util-linux)")
	}
	args := append([]string{"-m", "--propagation", "private", "sh", "-c", managedScript, "sh", bootstrap, tool}, flags...)
	cmd := exec.Command(unshare, args...)
	cmd.Dir = "/"
	return cmd
}
