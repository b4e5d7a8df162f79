// Package filetrust decides whether brs may load or run a file on its user's behalf:
// a config file, a file named by file(), a plugin executable.
//
// A file is trusted when it belongs to the user brs runs as, or to root, and neither
// its group nor others may write it; and when every directory on the way to it, up to
// /, both as its path is written and as its symbolic links resolve, belongs to the
// user or root and is not writable by group or others unless it is sticky (/tmp). A
// symbolic link on the way must belong to the user or root too. This is the rule of
// OpenSSH's StrictModes: whoever else could change the file, or swap it for another,
// could make brs run their commands with the user's AWS credentials.
//
// The file itself is checked on its open descriptor (fstat), so the file checked is
// the file read. On Windows, which has no Unix owner and mode, nothing is checked
// (see the README).
package filetrust
