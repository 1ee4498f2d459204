package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// instance is a `tidings serve` process the bench started, with its data
// directory and config file.
type instance struct {
	bin    string
	dir    string
	config string
	addr   string // host:port, also the instance's domain
	db     string
	cmd    *exec.Cmd
	logs   *os.File
	member string
	env    []string // added to the bench's environment
	// cpuProfile is passed to serve -cpu-profile when set.
	cpuProfile string
}

// benchPassword is the member's password.
const benchPassword = "a long bench password"

// buildTidings builds cmd/tidings into dir and returns the binary's path.
func buildTidings(dir string) (string, error) {
	bin := filepath.Join(dir, "tidings")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/tidings-social/tidings/cmd/tidings")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
}

// freeAddr picks a free loopback port. The instance's domain must be
// known before it starts, so the port is chosen here and not by the
// server (a race with another program taking it is possible, and then
// start-up fails with a clear message).
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// newInstance writes the config of an instance in dir, with registration
// open and federation allowed to reach loopback (the remote server is
// this process), and more config after it (whole sections), and creates
// the member. Logging stays at the default
// level, info, which logs every request (to serve.log in dir), since
// that is part of what a request costs in production.
func newInstance(bin, dir, member string, authorizedFetch bool, more string) (*instance, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	in := &instance{bin: bin, dir: dir, addr: addr, member: member,
		config: filepath.Join(dir, "tidings.toml"), db: filepath.Join(dir, "data", "tidings.db")}
	config := fmt.Sprintf(`[server]
domain = %q
listen = %q
scheme = "http"
[storage]
path = %q
[registration]
mode = "open"
[federation]
allow_private_addresses = true
authorized_fetch = %t
[log]
level = "info"
`, addr, addr, in.db, authorizedFetch) + more
	if err := os.WriteFile(in.config, []byte(config), 0o600); err != nil {
		return nil, fmt.Errorf("write config: %w", err)
	}
	create := exec.Command(bin, "admin", "create-member", member, "--email", member+"@example.org", "-config", in.config)
	create.Stdin = strings.NewReader(benchPassword + "\n")
	if out, err := create.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("create member: %w\n%s", err, out)
	}
	return in, nil
}

// start starts the server and waits until /healthz answers; it returns
// the time from starting the process to that first answer.
func (in *instance) start(ctx context.Context) (time.Duration, error) {
	logs, err := os.OpenFile(filepath.Join(in.dir, "serve.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return 0, fmt.Errorf("open server log: %w", err)
	}
	in.logs = logs
	args := []string{"serve", "-config", in.config}
	if in.cpuProfile != "" {
		args = append(args, "-cpu-profile", in.cpuProfile)
	}
	in.cmd = exec.Command(in.bin, args...)
	in.cmd.Stdout, in.cmd.Stderr = logs, logs
	in.cmd.Env = append(os.Environ(), in.env...)
	dieWithBench(in.cmd)
	began := time.Now()
	if err := in.cmd.Start(); err != nil {
		return 0, fmt.Errorf("start tidings serve: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- in.cmd.Wait() }()
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get("http://" + in.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				took := time.Since(began)
				go func() { in.exited(<-exited) }()
				return took, nil
			}
		}
		select {
		case err := <-exited:
			return 0, fmt.Errorf("tidings serve exited before answering (%v); see %s", err, logs.Name())
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// exited records that the server stopped; Wait has reaped it.
func (in *instance) exited(err error) {
	if in.logs != nil {
		fmt.Fprintf(in.logs, "tidings-bench: server exited: %v\n", err)
	}
}

// pid is the server's process id.
func (in *instance) pid() int { return in.cmd.Process.Pid }

// stop stops the server as an init system would, with SIGTERM, and waits
// until its /healthz no longer answers and the process is gone.
func (in *instance) stop() error {
	if in.cmd == nil || in.cmd.Process == nil {
		return nil
	}
	p := in.cmd.Process
	defer func() { in.cmd = nil; in.logs.Close() }()
	if err := p.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stop server: %w", err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		// Signal 0 fails once the process has exited and been reaped.
		if err := p.Signal(syscall.Signal(0)); err != nil {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.Kill()
	return errors.New("the server did not stop within 20 s of SIGTERM; killed")
}
