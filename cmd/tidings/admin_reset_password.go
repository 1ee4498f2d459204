package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/tidings-social/tidings/web"
)

// adminResetPassword runs "admin reset-password NAME": it prints a link
// with which the member chooses a new password, for an admin to pass on
// (by phone, or when the server sends no mail). It sends no mail itself.
func adminResetPassword(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("admin reset-password", flag.ContinueOnError)
	configFile := fs.String("config", "", "config file")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError("admin reset-password needs a member name: tidings admin reset-password NAME")
	}
	name := strings.TrimPrefix(rest[0], "@")
	ctx := context.Background()
	db, err := openAdminDB(ctx, *configFile)
	if err != nil {
		return err
	}
	defer db.Close()
	token, expires, err := db.CreatePasswordReset(ctx, name)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(stdout, "password reset link for @%s, valid for one hour (until %s) and once; older links no longer work:\n%s%s\n",
		name, expires.Format("15:04 MST"), db.Site.Base(), web.PasswordResetPath(token))
	return nil
}
