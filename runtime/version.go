package runtime

import "github.com/lumen-rt/lumen/telemetry"

// Version is the version of Lumen this package belongs to, in semantic
// versioning (https://semver.org): MAJOR.MINOR.PATCH without the "v". It is
// [telemetry.Version], which every resource Lumen builds reports as
// telemetry.distro.version, so there is one version to change.
//
// Releases are tagged vX.Y.Z (the Go module version, "v" + Version) on the
// commit that sets Version to X.Y.Z and moves CHANGELOG.md's Unreleased
// section under [X.Y.Z]; between releases Version names the release being
// prepared. Before 1.0.0 a minor release may change the API, as the
// changelog says; patch releases never do.
const Version = telemetry.Version
