package telemetry

// Version is Lumen's version, the telemetry.distro.version of every
// resource it builds. Releases are tagged v<Version>.
const Version = "0.4.0"
