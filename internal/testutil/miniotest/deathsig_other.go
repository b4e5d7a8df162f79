//go:build !linux

package miniotest

import "syscall"

// dieWithParent returns nil: only Linux has a parent-death signal, so elsewhere a
// MinIO whose test binary died without cleaning up lives on until killed.
func dieWithParent() *syscall.SysProcAttr { return nil }
