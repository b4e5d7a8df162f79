package miniotest

import "syscall"

// dieWithParent makes MinIO receive SIGKILL when the test binary dies.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
