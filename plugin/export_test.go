package plugin

// The environment variable names, for the test that they match the host's.
const (
	EnvHostPipe = envHostPipe
	EnvExecFD   = envExecFD
)
