// Package proctest lets tests check that a process a command started has ended: a
// command writes its PID to a file, ReadPID reads it back and WaitGone waits for the
// process to die. It reads /proc, so it works on Linux only.
package proctest
