//go:build unix

package main

import (
	"errors"
	"os"
	"syscall"
)

// flock takes an exclusive lock on f without waiting, and reports whether
// another open file description holds it already.
func flock(f *os.File) (held bool, err error) {
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	return false, err
}
