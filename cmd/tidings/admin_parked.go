package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// maxParkedListed bounds what a parked-* command prints and a retry-*
// all takes back at once.
const maxParkedListed = 1000

// parkedItem is one item a queue gave up on, as the admin commands show it.
type parkedItem struct {
	id, what  string
	parkedAt  time.Time
	attempts  int
	lastError string
}

// parkedQueue is a queue whose failing items are parked: inbound
// activities, or outbox events this server could not turn into
// activities.
type parkedQueue struct {
	noun  string // as the commands name it: "inbound activities"
	list  func(context.Context, *storage.DB) ([]parkedItem, error)
	retry func(*storage.DB, context.Context, string) error
}

// parkedQueues are the queues by the suffix of their commands.
var parkedQueues = map[string]parkedQueue{
	"inbound": {"inbound activities", parkedInbound, (*storage.DB).RetryParkedInbound},
	"outbox":  {"outbox events", parkedOutbox, (*storage.DB).RetryParkedOutbox},
}

func parkedInbound(ctx context.Context, db *storage.DB) ([]parkedItem, error) {
	list, err := db.ParkedInbound(ctx, maxParkedListed)
	var items []parkedItem
	for _, in := range list {
		items = append(items, parkedItem{in.ID, in.Type + " " + in.ActivityURI + " from " + in.ActorURI,
			in.ParkedAt, in.Attempts, in.LastError})
	}
	return items, err
}

func parkedOutbox(ctx context.Context, db *storage.DB) ([]parkedItem, error) {
	list, err := db.ParkedOutbox(ctx, maxParkedListed)
	var items []parkedItem
	for _, e := range list {
		what := e.Kind + " as " + e.ActorID
		if e.SubjectID != "" {
			what += " of " + e.SubjectID
		}
		items = append(items, parkedItem{e.ID, what, e.ParkedAt, e.Attempts, e.LastError})
	}
	return items, err
}

// adminParked runs the admin subcommands for work given up on after
// repeated failures (docs/queues.md): parked-inbound and parked-outbox
// list it, with the last error; retry-inbound and retry-outbox ID... (or
// all) put it back in its queue, say once the bug that broke it is fixed.
func adminParked(sub string, args []string, stdout io.Writer) error {
	verb, which, _ := strings.Cut(sub, "-")
	queue := parkedQueues[which]
	fs := flag.NewFlagSet("admin "+sub, flag.ContinueOnError)
	configFile := fs.String("config", "", "config file")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case verb == "parked" && len(rest) != 0:
		return usageError("admin %s takes no arguments", sub)
	case verb == "retry" && len(rest) == 0:
		return usageError("admin %s needs the ids of parked %s, or all: tidings admin %s ID... | all", sub, queue.noun, sub)
	}
	ctx := context.Background()
	db, err := openAdminDB(ctx, *configFile)
	if err != nil {
		return err
	}
	defer db.Close()

	parked, err := queue.list(ctx, db)
	if err != nil {
		return err
	}
	if verb == "parked" {
		if len(parked) == 0 {
			fmt.Fprintf(stdout, "no parked %s\n", queue.noun)
		}
		for _, p := range parked {
			fmt.Fprintf(stdout, "%s  %s\n    parked %s after %d attempts: %s\n", p.id, p.what,
				p.parkedAt.Format("2006-01-02 15:04:05 MST"), p.attempts, strings.TrimSpace(p.lastError))
		}
		return nil
	}
	ids := rest
	if len(rest) == 1 && rest[0] == "all" {
		ids = nil
		for _, p := range parked {
			ids = append(ids, p.id)
		}
	}
	for _, id := range ids {
		if err := queue.retry(db, ctx, id); err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "retrying %s\n", id)
	}
	return nil
}
