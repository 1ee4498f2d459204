//go:build !linux

package main

import "os/exec"

// dieWithBench does nothing where the kernel cannot stop a child when its
// parent dies: stop the server by hand after a killed run.
func dieWithBench(cmd *exec.Cmd) {}
