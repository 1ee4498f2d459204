package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// adminContribution runs "admin contribution NAME --amount 12.99
// --months 1 --note ...": it records a contribution made another way
// than by card, as /admin/supporters does.
func adminContribution(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("admin contribution", flag.ContinueOnError)
	configFile := fs.String("config", "", "config file")
	amount := fs.String("amount", "", "the amount, like 12.99")
	currency := fs.String("currency", "", "the currency (default: [supporters] currency)")
	months := fs.Int("months", 1, "how many months it makes them a supporter")
	note := fs.String("note", "", "a note, like how it was paid")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 || *amount == "" {
		return usageError("admin contribution needs a member name and an amount: tidings admin contribution NAME --amount 12.99 [--months 1] [--note TEXT]")
	}
	cfg, err := loadConfig(configSource(*configFile))
	if err != nil {
		return err
	}
	if *currency == "" {
		*currency = cfg.webSupport().Currency
	}
	ctx := context.Background()
	db, err := openAdminDB(ctx, *configFile)
	if err != nil {
		return err
	}
	defer db.Close()
	// A contribution admits a member who waits in line, as the server does.
	db.Registration = storage.RegistrationMode(cfg.Registration.Mode)
	p, err := db.RecordOfflineContribution(ctx, storage.OfflineContribution{Username: rest[0], Amount: *amount,
		Currency: *currency, Months: *months, Note: *note})
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(stdout, "recorded %s %s from @%s; a supporter until %s\n", *amount, strings.ToUpper(p.Currency),
		strings.TrimPrefix(rest[0], "@"), p.CoversUntil.Format("2 January 2006"))
	return nil
}
