// Package proc holds what brs needs from the operating system to keep the processes it
// starts on a short leash: a parent-death signal that really fires only when brs dies,
// a process group per plugin that is killed whole, and a process that other processes
// of the same user cannot read (no core dumps, no /proc/PID/environ).
//
// Outside Linux the parent-death signal and non-dumpability do not exist; the functions
// do what the platform allows and say so in their doc comments.
package proc

// EnvHostPipe is set in a plugin's environment by a host whose end of the plugin's
// stdin pipe is held by the host alone: the plugin SDK exits when it reads end-of-file
// there, which happens when the host dies, however it dies. Its value is "stdin".
const EnvHostPipe = "BRS_PLUGIN_HOST_PIPE"

// EnvExecFD is set in a plugin's environment when the host ran the plugin from an open
// file descriptor (Linux: /proc/self/fd/N): N, which the plugin SDK marks close-on-exec
// so that the processes the plugin runs do not inherit it.
const EnvExecFD = "BRS_PLUGIN_EXEC_FD"
