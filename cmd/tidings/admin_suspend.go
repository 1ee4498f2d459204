package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// adminSuspend runs "admin suspend NAME [--reason TEXT]" and "admin
// unsuspend NAME": the same operations as the admin page, done as the
// instance's operator.
func adminSuspend(sub string, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("admin "+sub, flag.ContinueOnError)
	configFile := fs.String("config", "", "config file")
	reason := fs.String("reason", "", "why the member is suspended (suspend only)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError("admin %s needs a member name: tidings admin %s NAME", sub, sub)
	}
	if sub == "unsuspend" && *reason != "" {
		return usageError("admin unsuspend does not take --reason")
	}
	name := strings.TrimPrefix(rest[0], "@")
	ctx := context.Background()
	db, err := openAdminDB(ctx, *configFile)
	if err != nil {
		return err
	}
	defer db.Close()
	if sub == "suspend" {
		if _, err := db.SuspendMember(ctx, "", name, *reason); err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "suspended @%s; their sessions are over and others no longer see them\n", name)
		return nil
	}
	if _, err := db.UnsuspendMember(ctx, "", name); err != nil {
		return cliError(err)
	}
	fmt.Fprintf(stdout, "lifted the suspension of @%s; they can sign in again\n", name)
	return nil
}
