//go:build unix && !linux && !darwin && !freebsd

package agent

import "syscall"

// ctimeOf is 0 where the field's name is not known: mtime, size and inode remain.
func ctimeOf(*syscall.Stat_t) int64 { return 0 }
