package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"golang.org/x/term"

	"github.com/tidings-social/tidings/storage"
)

// admin runs the admin subcommands, which work on the same database as
// serve, even while it runs.
func admin(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError("admin needs a subcommand: create-member, approve, admit, invite, create-subwiki, reset-password, contribution, suspend, unsuspend, parked-inbound, retry-inbound, parked-outbox, retry-outbox, block-domain, unblock-domain or domains")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "parked-inbound", "retry-inbound", "parked-outbox", "retry-outbox":
		return adminParked(sub, args, stdout)
	case "suspend", "unsuspend":
		return adminSuspend(sub, args, stdout)
	case "block-domain", "unblock-domain", "domains":
		return adminDomains(sub, args, stdout)
	case "reset-password":
		return adminResetPassword(args, stdout)
	case "admit":
		return adminAdmit(args, stdout)
	case "contribution":
		return adminContribution(args, stdout)
	}
	fs := flag.NewFlagSet("admin "+sub, flag.ContinueOnError)
	configFile := fs.String("config", "", "config file")
	email := fs.String("email", "", "email address of the new member")
	isAdmin := fs.Bool("admin", false, "make the new member an admin")
	displayName := fs.String("display-name", "", "display name of the new member")
	title := fs.String("title", "", "title of the new subwiki")
	description := fs.String("description", "", "description of the new subwiki")
	moderator := fs.String("moderator", "", "the member who moderates the new subwiki")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}

	var want int
	switch sub {
	case "create-member", "approve", "create-subwiki":
		want = 1
	case "invite":
		want = 0
	default:
		return usageError("unknown admin subcommand %q (known: create-member, approve, invite, create-subwiki)", sub)
	}
	flagsOf := map[string][]string{
		"create-member":  {"email", "admin", "display-name"},
		"create-subwiki": {"title", "description", "moderator"},
	}
	var stray string
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "config" && !slices.Contains(flagsOf[sub], f.Name) {
			stray = f.Name
		}
	})
	if stray != "" {
		return usageError("admin %s does not take --%s", sub, stray)
	}
	if len(rest) != want {
		if want == 1 {
			return usageError("admin %s needs a member name: tidings admin %s NAME", sub, sub)
		}
		return usageError("admin %s takes no arguments", sub)
	}

	if sub == "create-subwiki" && (*title == "" || *moderator == "") {
		return usageError("admin create-subwiki needs --title TITLE and --moderator MEMBER")
	}
	var password string
	if sub == "create-member" {
		if *email == "" {
			return usageError("admin create-member needs --email EMAIL")
		}
		if password, err = readPassword(stdin, stderr); err != nil {
			return err
		}
	}
	ctx := context.Background()
	db, err := openAdminDB(ctx, *configFile)
	if err != nil {
		return err
	}
	defer db.Close()

	switch sub {
	case "create-member":
		m, err := db.CreateMember(ctx, storage.MemberCreate{
			Username: rest[0], Email: *email, DisplayName: *displayName, Password: password, IsAdmin: *isAdmin,
		})
		if err != nil {
			return cliError(err)
		}
		role := "member"
		if m.IsAdmin {
			role = "admin"
		}
		fmt.Fprintf(stdout, "created %s @%s (%s); sign in at %s://%s/signin\n", role, m.Username, m.Email, db.Site.Scheme, db.Site.Domain)
	case "create-subwiki":
		mod, err := db.MemberByUsername(ctx, strings.TrimPrefix(*moderator, "@"))
		if err != nil {
			return fmt.Errorf("no member @%s here to moderate the subwiki", strings.TrimPrefix(*moderator, "@"))
		}
		s, err := db.CreateSubwiki(ctx, storage.SubwikiCreate{Name: rest[0], Title: *title, Description: *description}, mod.ID)
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "created subwiki %s (@%s@%s), moderated by @%s: %s\n", s.Title, s.Name, db.Site.Domain,
			mod.Username, db.Site.SubwikiURI(s.Name))
	case "approve":
		m, err := db.ApproveMember(ctx, rest[0])
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "approved @%s; they can sign in now%s\n", m.Username, approvalMailNote(db))
	case "invite":
		inv, err := db.CreateInvite(ctx, "")
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintln(stdout, inv.Code)
		fmt.Fprintf(stderr, "valid until %s; link: %s://%s/signup?invite=%s\n",
			inv.ExpiresAt.Format("2006-01-02 15:04 MST"), db.Site.Scheme, db.Site.Domain, inv.Code)
	}
	return nil
}

// cliError shows a storage error's message for people, not its code.
func cliError(err error) error {
	if storage.ErrorCode(err) == storage.EInternal {
		return err
	}
	return errors.New(storage.ErrorMessage(err))
}

// readPassword reads the new member's password: asked twice without echo
// on a terminal, or the first line of piped input.
func readPassword(stdin io.Reader, prompt io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(prompt, "Password: ")
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(prompt, "Password again: ")
		second, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(first) != string(second) {
			return "", errors.New("the two passwords are not the same")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return "", errors.New("no password on stdin: pipe it in, e.g. echo 'a long password' | tidings admin create-member ...")
	}
	return password, nil
}

// openAdminDB opens the database of the instance the config file (or
// TIDINGS_CONFIG, or the defaults) describes, for an admin command: on
// the same file as a running server, which it may share.
func openAdminDB(ctx context.Context, configFile string) (*storage.DB, error) {
	cfg, err := loadConfig(configSource(configFile))
	if err != nil {
		return nil, err
	}
	db, err := storage.Open(ctx, cfg.Storage.Path, cfg.site())
	if err != nil {
		return nil, err
	}
	db.StarterSubwikis = cfg.Registration.StarterSubwikis
	cfg.applyMail(db)
	return db, nil
}
