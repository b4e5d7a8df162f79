package boundedfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// kernelFileSystems are the file systems whose files are refused, by magic number.
var kernelFileSystems = map[int64]string{
	unix.PROC_SUPER_MAGIC:    "procfs",
	unix.SYSFS_MAGIC:         "sysfs",
	unix.DEBUGFS_MAGIC:       "debugfs",
	unix.TRACEFS_MAGIC:       "tracefs",
	unix.SECURITYFS_MAGIC:    "securityfs",
	unix.CGROUP_SUPER_MAGIC:  "cgroupfs",
	unix.CGROUP2_SUPER_MAGIC: "cgroup2fs",
	unix.EFIVARFS_MAGIC:      "efivarfs",
	unix.BPF_FS_MAGIC:        "bpffs",
	unix.PSTOREFS_MAGIC:      "pstorefs",
}

// kernelFS returns why f may not be read when it lies on a kernel file system, or "".
func kernelFS(f *os.File) string {
	var st unix.Statfs_t
	if err := unix.Fstatfs(int(f.Fd()), &st); err != nil {
		return "its file system cannot be checked: " + err.Error()
	}
	if name, ok := kernelFileSystems[int64(st.Type)]; ok {
		return "it is on " + name + ", a kernel file system that brs does not read"
	}
	return ""
}
