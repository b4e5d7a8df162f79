// Package proctest lets tests check that a process a command started has ended: a
// command writes its PID to a file, ReadPID reads it back and WaitGone waits for the
// process to die. On Linux it waits on a pidfd (an event, not a poll) and reads /proc;
// elsewhere it asks the operating system whether the process still exists.
package proctest
