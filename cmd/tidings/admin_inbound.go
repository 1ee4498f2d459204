package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// maxParkedListed bounds what parked-inbound prints and retry-inbound all
// takes back at once.
const maxParkedListed = 1000

// adminInbound runs the admin subcommands for inbound activities given
// up on after repeated failures: parked-inbound lists them, with the
// last error; retry-inbound ID... (or all) puts them back in the queue,
// say once the bug that broke them is fixed.
func adminInbound(sub string, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("admin "+sub, flag.ContinueOnError)
	configFile := fs.String("config", "", "config file")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case sub == "parked-inbound" && len(rest) != 0:
		return usageError("admin parked-inbound takes no arguments")
	case sub == "retry-inbound" && len(rest) == 0:
		return usageError("admin retry-inbound needs the ids of parked activities, or all: tidings admin retry-inbound ID... | all")
	}
	cfg, err := loadConfig(configSource(*configFile))
	if err != nil {
		return err
	}
	ctx := context.Background()
	db, err := storage.Open(ctx, cfg.Storage.Path, cfg.site())
	if err != nil {
		return err
	}
	defer db.Close()

	parked, err := db.ParkedInbound(ctx, maxParkedListed)
	if err != nil {
		return err
	}
	if sub == "parked-inbound" {
		if len(parked) == 0 {
			fmt.Fprintln(stdout, "no parked inbound activities")
		}
		for _, in := range parked {
			fmt.Fprintf(stdout, "%s  %s %s from %s\n    parked %s after %d attempts: %s\n", in.ID, in.Type, in.ActivityURI,
				in.ActorURI, in.ParkedAt.Format("2006-01-02 15:04:05 MST"), in.Attempts, strings.TrimSpace(in.LastError))
		}
		return nil
	}
	ids := rest
	if len(rest) == 1 && rest[0] == "all" {
		ids = nil
		for _, in := range parked {
			ids = append(ids, in.ID)
		}
	}
	for _, id := range ids {
		if err := db.RetryParkedInbound(ctx, id); err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "retrying %s\n", id)
	}
	return nil
}
