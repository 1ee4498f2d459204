package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/tidings-social/tidings/storage"
)

// adminDomains runs the admin subcommands for domain blocks, which a
// running server applies within storage.DomainBlocksRefresh:
//
//	tidings admin block-domain HOST [--limit] [--reason TEXT]
//	tidings admin unblock-domain HOST
//	tidings admin domains
func adminDomains(sub string, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("admin "+sub, flag.ContinueOnError)
	configFile := fs.String("config", "", "config file")
	limit := fs.Bool("limit", false, "limit the server instead of suspending it")
	reason := fs.String("reason", "", "why, for the moderation log")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	var stray string
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "config" && sub != "block-domain" {
			stray = f.Name
		}
	})
	switch {
	case stray != "":
		return usageError("admin %s does not take --%s", sub, stray)
	case sub == "domains" && len(rest) != 0:
		return usageError("admin domains takes no arguments")
	case sub != "domains" && len(rest) != 1:
		return usageError("admin %s needs one host: tidings admin %s HOST", sub, sub)
	}
	ctx := context.Background()
	db, err := openAdminDB(ctx, *configFile)
	if err != nil {
		return err
	}
	defer db.Close()

	switch sub {
	case "block-domain":
		level := storage.DomainSuspend
		if *limit {
			level = storage.DomainLimit
		}
		b, err := db.BlockDomain(ctx, storage.DomainBlockCreate{ActorID: storage.ByOperator, Host: rest[0],
			Level: level, Reason: *reason})
		if err != nil {
			return cliError(err)
		}
		verb := "suspended"
		if b.Level == storage.DomainLimit {
			verb = "limited"
		}
		fmt.Fprintf(stdout, "%s %s and its subdomains\n", verb, b.Host)
	case "unblock-domain":
		if err := db.UnblockDomain(ctx, storage.ByOperator, rest[0]); err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "lifted the block of %s\n", rest[0])
	case "domains":
		list, err := db.DomainBlocks(ctx)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			fmt.Fprintln(stdout, "no blocked or limited domains")
		}
		for _, b := range list {
			from := "admin"
			if b.FromConfig {
				from = "config file"
			}
			fmt.Fprintf(stdout, "%-8s %s  (%s, since %s)", b.Level, b.Host, from, b.CreatedAt.Format("2006-01-02"))
			if b.Reason != "" {
				fmt.Fprintf(stdout, ": %s", b.Reason)
			}
			fmt.Fprintln(stdout)
		}
	}
	return nil
}
