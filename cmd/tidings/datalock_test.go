package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mainOn makes an instance on the database at path, listening on a new
// loopback port, under the domain given (the database keeps the domain it
// was made for).
func mainOn(t *testing.T, path, domain string) *Main {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Server.Domain = domain
	cfg.Server.Listen = ln.Addr().String()
	cfg.Storage.Path = path
	return &Main{Config: cfg, Listener: ln}
}

func TestASecondServerOnOneDatabaseRefusesToStart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tidings.db")
	first := mainOn(t, path, "localhost:8081")
	if err := first.Run(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if first != nil {
			first.Close()
		}
	}()

	second := mainOn(t, path, "localhost:8081")
	err := second.Run(ctx)
	second.Close()
	if err == nil {
		t.Fatal("a second server started on the database of a running one")
	}
	for _, want := range []string{path, "another tidings serve", fmt.Sprintf("pid %d", os.Getpid()), first.Addr()} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal %q does not name %q", err, want)
		}
	}

	// Admin commands work on the database while the server runs.
	file := filepath.Join(t.TempDir(), "tidings.toml")
	doc := fmt.Sprintf("[server]\ndomain = %q\n[storage]\npath = %q\n", "localhost:8081", path)
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := runCLI("", "admin", "invite", "-config", file); got.status != 0 {
		t.Errorf("admin invite while the server runs: status %d, %s", got.status, got.stderr)
	}

	// Once the first has stopped, another may start.
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	first = nil
	third := mainOn(t, path, "localhost:8081")
	if err := third.Run(ctx); err != nil {
		t.Fatalf("a server on the database of one that stopped: %v", err)
	}
	if err := third.Close(); err != nil {
		t.Fatal(err)
	}
}
