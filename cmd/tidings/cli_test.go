package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// cli runs the tidings command in this process.
type cli struct {
	status         int
	stdout, stderr string
}

func runCLI(stdin string, args ...string) cli {
	var out, errOut bytes.Buffer
	status := run(args, strings.NewReader(stdin), &out, &errOut)
	return cli{status, out.String(), errOut.String()}
}

// writeConfig writes a config file for a database in a temporary
// directory and returns the file's path.
func writeConfig(t *testing.T, extra string) string {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "tidings.toml")
	doc := fmt.Sprintf("[storage]\npath = %q\n%s", filepath.Join(dir, "tidings.db"), extra)
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// openConfigDB opens the database a config file names.
func openConfigDB(t *testing.T, file string) *storage.DB {
	t.Helper()
	cfg, err := LoadConfig(file)
	if err != nil {
		t.Fatal(err)
	}
	db, err := storage.Open(context.Background(), cfg.Storage.Path, cfg.site())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestHelpListsCommands(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"serve", "-h"}} {
		got := runCLI("", args...)
		if got.status != 0 {
			t.Errorf("%v: status %d", args, got.status)
		}
		for _, want := range []string{"serve", "check-config", "admin create-member", "admin approve", "admin invite"} {
			if !strings.Contains(got.stdout, want) {
				t.Errorf("%v: help does not mention %q", args, want)
			}
		}
	}
}

func TestUsageMistakes(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"admin"}, "admin needs a subcommand"},
		{[]string{"admin", "promote", "x"}, `unknown admin subcommand "promote"`},
		{[]string{"admin", "create-member", "x"}, "needs --email"},
		{[]string{"admin", "approve"}, "needs a member name"},
		{[]string{"admin", "invite", "--email", "a@example.org"}, "does not take --email"},
		{[]string{"check-config"}, "needs one config file"},
		{[]string{"serve", "--bogus"}, "flag provided but not defined: -bogus"},
	} {
		got := runCLI("", tt.args...)
		if got.status != 2 || !strings.Contains(got.stderr, tt.want) {
			t.Errorf("%v: status %d, stderr %q; want 2 and %q", tt.args, got.status, got.stderr, tt.want)
		}
	}
}

func TestCheckConfig(t *testing.T) {
	good := writeConfig(t, "[registration]\nmode = \"invite\"\n")
	got := runCLI("", "check-config", good)
	if got.status != 0 || got.stdout != good+": ok\n" {
		t.Errorf("good config: %+v", got)
	}
	bad := writeConfig(t, "[registration]\nmode = \"everyone\"\n")
	got = runCLI("", "check-config", bad)
	if got.status != 1 || !strings.Contains(got.stderr, bad+":4: registration.mode") {
		t.Errorf("bad config: %+v", got)
	}
	got = runCLI("", "check-config", filepath.Join(t.TempDir(), "missing.toml"))
	if got.status != 1 || !strings.Contains(got.stderr, "no such file") {
		t.Errorf("missing config: %+v", got)
	}
	// serve refuses to start on a bad config, with the same message.
	got = runCLI("", "serve", "-config", bad)
	if got.status != 1 || !strings.Contains(got.stderr, bad+":4: registration.mode") {
		t.Errorf("serve with bad config: %+v", got)
	}
}

func TestAdminCreateMember(t *testing.T) {
	file := writeConfig(t, "")
	got := runCLI("a long password\n", "admin", "create-member", "ops", "--email", "ops@example.org", "--admin", "-config", file)
	if got.status != 0 || !strings.Contains(got.stdout, "created admin @ops") {
		t.Fatalf("create-member: %+v", got)
	}
	got = runCLI("another password\n", "admin", "create-member", "-config", file, "ops", "--email", "x@example.org")
	if got.status != 1 || !strings.Contains(got.stderr, `The username "ops" is taken`) {
		t.Errorf("duplicate: %+v", got)
	}
	got = runCLI("", "admin", "create-member", "-config", file, "nopass", "--email", "n@example.org")
	if got.status != 1 || !strings.Contains(got.stderr, "no password on stdin") {
		t.Errorf("no password: %+v", got)
	}
	got = runCLI("a long password\n", "admin", "create-member", "-config", file, "api", "--email", "n@example.org")
	if got.status != 1 || !strings.Contains(got.stderr, "reserved") {
		t.Errorf("reserved: %+v", got)
	}

	db := openConfigDB(t, file)
	m, err := db.MemberByUsername(context.Background(), "ops")
	if err != nil || !m.IsAdmin || m.Status != storage.MemberActive {
		t.Fatalf("member = %+v, %v", m, err)
	}
	if _, err := db.Authenticate(context.Background(), "ops", "a long password", "127.0.0.1"); err != nil {
		t.Errorf("the password from stdin does not sign in: %v", err)
	}
	if n, _ := db.CountMembers(context.Background()); n != 1 {
		t.Errorf("%d members, want 1", n)
	}
}

func TestAdminApproveAndInviteWithEnvironmentConfig(t *testing.T) {
	file := writeConfig(t, "[registration]\nmode = \"approval\"\n")
	t.Setenv("TIDINGS_CONFIG", file)
	db := openConfigDB(t, file)
	db.Registration = storage.RegistrationApproval
	ctx := context.Background()
	if _, err := db.Register(ctx, storage.Registration{MemberCreate: storage.MemberCreate{
		Username: "pat", Email: "pat@example.org", Password: "a long password",
	}}); err != nil {
		t.Fatal(err)
	}

	got := runCLI("", "admin", "approve", "pat")
	if got.status != 0 || !strings.Contains(got.stdout, "approved @pat") {
		t.Fatalf("approve: %+v", got)
	}
	if m, _ := db.MemberByUsername(ctx, "pat"); m.Status != storage.MemberActive {
		t.Errorf("status after approve = %q", m.Status)
	}
	got = runCLI("", "admin", "approve", "pat")
	if got.status != 1 || !strings.Contains(got.stderr, "not waiting for approval") {
		t.Errorf("approve twice: %+v", got)
	}
	got = runCLI("", "admin", "approve", "nobody")
	if got.status != 1 || !strings.Contains(got.stderr, "No such member") {
		t.Errorf("approve unknown: %+v", got)
	}

	got = runCLI("", "admin", "invite")
	code := strings.TrimSpace(got.stdout)
	if got.status != 0 || len(code) != 12 || !strings.Contains(got.stderr, "/signup?invite="+code) {
		t.Fatalf("invite: %+v", got)
	}
	db.Registration = storage.RegistrationInvite
	if _, err := db.Register(ctx, storage.Registration{
		MemberCreate: storage.MemberCreate{Username: "quin", Email: "quin@example.org", Password: "a long password"},
		InviteCode:   code,
	}); err != nil {
		t.Errorf("the printed invite code does not work: %v", err)
	}
}

// TestServeProcess builds the command, starts it as a real process on a
// config file, checks it answers, and stops it as an init system would.
func TestServeProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped in short mode")
	}
	bin := buildTidings(t)
	file := writeConfig(t, "[server]\nlisten = \"127.0.0.1:0\"\n[log]\nformat = \"json\"\n")
	cmd, addr, logs := startServe(t, bin, file)
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz: %d", resp.StatusCode)
	}

	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v; logs:\n%s", err, logs.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("did not stop within 15 s of SIGTERM")
	}
	if !strings.Contains(logs.String(), `"msg":"request"`) || !strings.Contains(logs.String(), `"path":"/healthz"`) {
		t.Errorf("no structured request log line:\n%s", logs.String())
	}
	// The log is written in batches: a clean stop writes out its last lines.
	if !strings.Contains(logs.String(), `"msg":"shutting down"`) {
		t.Errorf("the shutdown is not in the log:\n%s", logs.String())
	}
}

func TestAdminCreateSubwiki(t *testing.T) {
	file := writeConfig(t, "[registration]\nstarter_subwikis = [\"news\"]\n")
	if got := runCLI("a long password\n", "admin", "create-member", "ed", "--email", "ed@example.org", "-config", file); got.status != 0 {
		t.Fatalf("create-member: %+v", got)
	}
	got := runCLI("", "admin", "create-subwiki", "news", "--title", "News", "--moderator", "ed", "-config", file)
	if got.status != 0 || !strings.Contains(got.stdout, "created subwiki News (@news@") {
		t.Fatalf("create-subwiki: %+v", got)
	}
	for _, tt := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"admin", "create-subwiki", "news", "--title", "Again", "--moderator", "ed"}, "is taken", 1},
		{[]string{"admin", "create-subwiki", "other", "--title", "Other", "--moderator", "nobody"}, "no member @nobody", 1},
		{[]string{"admin", "create-subwiki", "Bad-Name", "--title", "T", "--moderator", "ed"}, "lowercase letters", 1},
		{[]string{"admin", "create-subwiki", "other"}, "needs --title", 2},
		{[]string{"admin", "create-subwiki", "other", "--title", "T", "--moderator", "ed", "--email", "x@example.org"}, "does not take --email", 2},
	} {
		got := runCLI("", append(tt.args, "-config", file)...)
		if got.status != tt.code || !strings.Contains(got.stderr, tt.want) {
			t.Errorf("%v: %+v; want status %d and %q", tt.args, got, tt.code, tt.want)
		}
	}
	// A member created afterwards joins the starter subwiki.
	if got := runCLI("a long password\n", "admin", "create-member", "fay", "--email", "fay@example.org", "-config", file); got.status != 0 {
		t.Fatalf("create-member: %+v", got)
	}
	db := openConfigDB(t, file)
	m, _ := db.MemberByUsername(context.Background(), "fay")
	s, _ := db.SubwikiByName(context.Background(), "news")
	if f, _ := db.FollowBetween(context.Background(), m.ID, s.ID); f == nil {
		t.Error("a new member did not join the starter subwiki")
	}
}

// buildTidings builds the command into a temporary directory.
func buildTidings(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tidings")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startServe starts `bin serve` on the config file as a real process,
// killed when the test ends, and returns it with the address it printed
// and its log.
func startServe(t *testing.T, bin, configFile string) (*exec.Cmd, string, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "-config", configFile)
	stdout, _ := cmd.StdoutPipe()
	logs := &bytes.Buffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	addr := ""
	lines := bufio.NewScanner(stdout)
	for lines.Scan() && addr == "" {
		if _, after, ok := strings.Cut(lines.Text(), "listening on "); ok {
			addr, _, _ = strings.Cut(after, ",")
		}
	}
	if addr == "" {
		t.Fatalf("no address printed; logs:\n%s", logs.String())
	}
	go io.Copy(io.Discard, stdout)
	return cmd, addr, logs
}
