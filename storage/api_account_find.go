package storage

import (
	"context"
	"fmt"
	"strings"
)

// shownAccountSQL is which actors are shown as accounts to anyone: every
// remote actor, subwiki and the instance, and the members here whose
// account is active (one waiting for approval has no profile yet).
const shownAccountSQL = `(a.local = 0 OR m.id IS NULL OR m.status = 'active')`

// AccountByID returns the actor with the id if it is shown as an account;
// otherwise it is not found.
func (db *DB) AccountByID(ctx context.Context, id string) (*Actor, error) {
	return db.actorWhere(ctx, "a.id = ? AND "+shownAccountSQL, id)
}

// AccountByHandle returns the account known as username@host (host is
// this instance's domain for a member or subwiki here), if it is shown.
func (db *DB) AccountByHandle(ctx context.Context, username, host string) (*Actor, error) {
	return db.actorWhere(ctx, "a.username = ? AND a.host = ? AND "+shownAccountSQL+" ORDER BY a.updated_at DESC LIMIT 1",
		username, strings.ToLower(host))
}

// maxAccountQuery bounds what an account search looks for.
const maxAccountQuery = 200

// SearchAccounts lists up to limit accounts known here whose name or
// display name starts with q, or whose handle starts with q when q is
// name@host: accounts here first, then shorter names. Servers (the
// instance actors) are left out.
func (db *DB) SearchAccounts(ctx context.Context, q string, limit int) ([]*Actor, error) {
	q = strings.TrimPrefix(strings.TrimSpace(q), "@")
	if q == "" || len(q) > maxAccountQuery {
		return nil, Errorf(EInvalid, "Search for a name of at most %d characters.", maxAccountQuery)
	}
	limit = max(1, min(limit, MaxPageLimit))
	name, host, _ := strings.Cut(q, "@")
	cond := `a.kind <> 'Application' AND ` + shownAccountSQL + ` AND `
	args := []any{likePrefix(strings.ToLower(name))}
	if host != "" {
		cond += `lower(a.username) LIKE ? ESCAPE '\' AND a.host LIKE ? ESCAPE '\'`
		args = append(args, likePrefix(strings.ToLower(host)))
	} else {
		cond += `(lower(a.username) LIKE ?1 ESCAPE '\' OR lower(CASE WHEN m.id IS NULL THEN a.display_name ELSE m.display_name END) LIKE ?1 ESCAPE '\')`
	}
	var list []*Actor
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, actorSelect+`WHERE `+cond+` ORDER BY a.local DESC, length(a.username), a.username, a.host LIMIT `+
			fmt.Sprint(limit), args...)
		if err != nil {
			return fmt.Errorf("search accounts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanActor(rows)
			if err != nil {
				return fmt.Errorf("search accounts: %w", err)
			}
			list = append(list, a)
		}
		return rows.Err()
	})
	return list, err
}

// likePrefix is a LIKE pattern (escaped with \) of what starts with s.
func likePrefix(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
}
