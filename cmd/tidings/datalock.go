package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// dataLock is held by a serving process on its database, in a lock file
// beside it, so that a second `tidings serve` on the same database
// refuses to start instead of running two sets of workers on one queue.
// Admin commands take no lock: SQLite lets them write beside the server.
// The kernel releases the lock when the process ends, however it ends.
type dataLock struct {
	file *os.File
}

// lockPath is the lock file of the database at dbPath.
func lockPath(dbPath string) string { return dbPath + ".lock" }

// lockData takes the lock of the database at dbPath for a server that
// listens on listen, and writes who holds it into the lock file, for the
// message another server shows.
func lockData(dbPath, listen string) (*dataLock, error) {
	path := lockPath(dbPath)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create database directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	held, err := flock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if held {
		f.Close()
		holder, _ := os.ReadFile(path)
		who := strings.TrimSpace(string(holder))
		if who == "" {
			who = "a process that is starting"
		}
		return nil, fmt.Errorf("the database %s is in use by another tidings serve (%s; lock file %s): "+
			"stop it first, or give this one another [storage] path", dbPath, who, path)
	}
	who := fmt.Sprintf("pid %d, listening on %s, since %s", os.Getpid(), listen, time.Now().UTC().Format(time.RFC3339))
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(who+"\n"), 0)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("write lock file %s: %w", path, err)
	}
	return &dataLock{file: f}, nil
}

// release lets another server take the database. The file stays: taking
// a lock on an existing file is what makes two servers exclude each other.
func (l *dataLock) release() error {
	if l == nil {
		return nil
	}
	return l.file.Close() // closing the last descriptor drops the lock
}
