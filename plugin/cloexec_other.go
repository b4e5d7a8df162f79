//go:build !unix

package plugin

func closeOnExec(int) {}
