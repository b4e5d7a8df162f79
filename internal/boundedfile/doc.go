// Package boundedfile reads files that brs reads but does not control (SSO token
// caches, web identity token files, certificates and keys, files named in a config)
// without trusting them: it reads only regular files, and at most a given number of
// bytes.
//
// A path that leads (through symlinks or not) to a device such as /dev/zero, a named
// pipe, a socket or a directory is refused before a byte is read, and so is, on Linux,
// a file of procfs, sysfs or another kernel file system: /proc/self/environ looks like
// a regular file and holds brs's environment, base credentials included. The check is made
// on the opened descriptor, so a path swapped between the check and the open cannot
// slip through, and opening a named pipe does not block. A file larger than the limit
// is refused after reading limit+1 bytes, however large it is or keeps growing.
//
// Errors name the file and the reason, never what it holds.
package boundedfile
