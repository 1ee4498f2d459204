// Command tidings runs a Tidings instance and administers it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const usage = `Tidings: a federated news community server.

Usage:
  tidings [serve] [-config FILE]      run the instance (embedded defaults without a file);
                                      -cpu-profile FILE profiles it until it stops
  tidings check-config FILE           check a config file without starting
  tidings admin create-member NAME --email EMAIL [--admin] [--display-name NAME]
                                      create an active member; the password is read from stdin
  tidings admin approve NAME          let a member who is waiting for approval in
  tidings admin invite                print a new invite code, valid for seven days
  tidings admin create-subwiki NAME --title TITLE --moderator MEMBER [--description TEXT]
                                      create a subwiki, e.g. an instance's starter subwikis
  tidings admin reset-password NAME   print a link, valid for an hour, to choose a new password
  tidings admin suspend NAME [--reason TEXT]
                                      suspend a member: no sign-in, no posts, hidden from others
  tidings admin unsuspend NAME        lift a member's suspension
  tidings admin parked-inbound        list activities from other servers given up on, with why
  tidings admin retry-inbound ID...|all
                                      put parked activities back in the queue (after a fix)
  tidings admin parked-outbox         list changes this server could not send, with why
  tidings admin retry-outbox ID...|all
                                      put parked outbox events back in the queue (after a fix)
  tidings admin block-domain HOST [--limit] [--reason TEXT]
                                      suspend (or limit) a server and its subdomains
  tidings admin unblock-domain HOST   lift a server's block or limit
  tidings admin domains               list blocked and limited servers
  tidings version                     print the version
  tidings help                        show this help

Every command takes -config FILE; without it the TIDINGS_CONFIG environment
variable names the file, and without that the embedded defaults apply
(a local instance at http://localhost:8080 with its data in ./tidings-data).
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run carries out the command in args and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(args, stdout, stderr)
	case "check-config":
		err = checkConfig(args, stdout)
	case "admin":
		err = admin(args, stdin, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "tidings", version)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageError("unknown command %q", cmd)
	}
	var ue *usageErr
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage)
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "tidings: %v\nRun 'tidings help' for usage.\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "tidings: %v\n", err)
		return 1
	}
}

// usageErr is a mistake in how a command was called.
type usageErr struct{ msg string }

func (e *usageErr) Error() string { return e.msg }

func usageError(format string, args ...any) error {
	return &usageErr{fmt.Sprintf(format, args...)}
}

// parseFlags parses flags that may come before, between or after the
// positional arguments, which it returns.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError("%v", err)
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// configSource says which config a command uses: the -config flag, the
// TIDINGS_CONFIG environment variable, or the embedded defaults ("").
func configSource(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return os.Getenv("TIDINGS_CONFIG")
}

// loadConfig loads the config from the source, or the defaults.
func loadConfig(source string) (Config, error) {
	if source == "" {
		return DefaultConfig(), nil
	}
	return LoadConfig(source)
}

// newLogger makes the structured logger the config asks for.
func newLogger(cfg LogConfig, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.Level))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func serve(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	configFile := fs.String("config", "", "config file")
	cpuProfile := fs.String("cpu-profile", "", "write a CPU profile of the whole run to this file")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError("serve takes no arguments, got %q", rest[0])
	}
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	source := configSource(*configFile)
	cfg, err := loadConfig(source)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// The log is written in batches (logBuffer); Close writes out the
	// last lines, the shutdown's included, before serve returns.
	logs := newLogBuffer(stderr)
	defer logs.Close()
	logger := newLogger(cfg.Log, logs)
	m := &Main{Config: cfg, Logger: slog.New(flushingHandler{logger.Handler(), logs})}
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	// Opening the database and building the site leave garbage behind,
	// and pages the heap no longer needs: hand them back now, once, so
	// that an idle instance holds what it uses rather than what start-up
	// needed (the runtime would return them only over minutes).
	debug.FreeOSMemory()
	setGCPercent()
	if source == "" {
		source = "embedded defaults"
	}
	fmt.Fprintf(stdout, "Tidings %s is running: open %s://%s/\n", version, cfg.Server.Scheme, cfg.Server.Domain)
	fmt.Fprintf(stdout, "  listening on %s, config: %s, data: %s\n", m.Addr(), source, cfg.Storage.Path)
	fmt.Fprintln(stdout, "  make an admin: tidings admin create-member NAME --email EMAIL --admin   (stop with Ctrl-C)")

	select {
	case <-ctx.Done():
	case err = <-m.Done():
	}
	m.Logger.Info("shutting down")
	return errors.Join(err, m.Close())
}

func checkConfig(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("check-config", flag.ContinueOnError)
	configFile := fs.String("config", "", "config file")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	file := *configFile
	if len(rest) == 1 && file == "" {
		file = rest[0]
	}
	if file == "" || len(rest) > 1 {
		return usageError("check-config needs one config file: tidings check-config FILE")
	}
	if _, err := LoadConfig(file); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: ok\n", file)
	return nil
}
