//go:build !unix

package main

import "os"

// flock is a no-op where there is no flock(2): the database is then not
// protected against a second server.
func flock(*os.File) (held bool, err error) { return false, nil }
