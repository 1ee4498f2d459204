package main

import (
	"os/exec"
	"syscall"
)

// dieWithBench makes the kernel stop the server with SIGTERM when the
// bench process dies, so that a killed run leaves no server behind.
func dieWithBench(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
