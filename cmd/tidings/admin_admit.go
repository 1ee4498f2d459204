package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

// adminAdmit runs "admin admit NAME": lets a member in from the waiting
// list by hand, as Admit on the admin's waiting list does.
func adminAdmit(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("admin admit", flag.ContinueOnError)
	configFile := fs.String("config", "", "config file")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError("admin admit needs a member name: tidings admin admit NAME")
	}
	ctx := context.Background()
	db, err := openAdminDB(ctx, *configFile)
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := db.AdmitMember(ctx, rest[0])
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(stdout, "admitted @%s from the waiting list; they can sign in now%s\n", m.Username, approvalMailNote(db))
	return nil
}
