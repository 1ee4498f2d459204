package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// prepareSite makes sure the database belongs to this site and that the
// instance and every member have an actor with keys. Keys are made once
// and never replaced.
func (db *DB) prepareSite(ctx context.Context) error {
	if err := db.checkDomain(ctx); err != nil {
		return err
	}
	if _, err := db.InstanceActor(ctx); ErrorCode(err) == ENotFound {
		keys, err := newKeyPair()
		if err != nil {
			return err
		}
		err = db.write(ctx, func(tx *Tx) error {
			uri := db.Site.InstanceActorURI()
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM actors WHERE uri = ?`, uri).Scan(&n); err != nil || n > 0 {
				return err
			}
			return tx.insertLocalActor(ctx, tx.newID(), KindApplication, db.Site.Hostname(), uri, db.Site.Base()+"/about", keys)
		})
		if err != nil {
			return fmt.Errorf("create instance actor: %w", err)
		}
	} else if err != nil {
		return err
	}
	return db.addMissingMemberActors(ctx)
}

// checkDomain records the domain on first use and refuses another one
// later: every stored id contains it.
func (db *DB) checkDomain(ctx context.Context) error {
	var recorded string
	err := db.write(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT value FROM instance_settings WHERE name = 'domain'`).Scan(&recorded)
		if errors.Is(err, sql.ErrNoRows) {
			recorded = db.Site.Domain
			_, err = tx.ExecContext(ctx, `INSERT INTO instance_settings (name, value) VALUES ('domain', ?)`, recorded)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("check domain: %w", err)
	}
	if recorded != db.Site.Domain {
		return fmt.Errorf("this database belongs to the instance at %q, not %q: the domain is part of every id "+
			"other servers know, so it cannot change; set [server] domain = %q or use another [storage] path",
			recorded, db.Site.Domain, recorded)
	}
	return nil
}

// addMissingMemberActors gives an actor to members who have none, such
// as those who joined before the instance federated.
func (db *DB) addMissingMemberActors(ctx context.Context) error {
	var names []struct{ id, username string }
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, username FROM members WHERE id NOT IN (SELECT id FROM actors)`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n struct{ id, username string }
			if err := rows.Scan(&n.id, &n.username); err != nil {
				return err
			}
			names = append(names, n)
		}
		return rows.Err()
	})
	if err != nil {
		return fmt.Errorf("find members without actors: %w", err)
	}
	for _, n := range names {
		keys, err := newKeyPair()
		if err != nil {
			return err
		}
		err = db.write(ctx, func(tx *Tx) error {
			var have int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM actors WHERE id = ?`, n.id).Scan(&have); err != nil || have > 0 {
				return err // another process was quicker
			}
			return tx.insertLocalActor(ctx, n.id, KindPerson, n.username,
				db.Site.ActorURI(n.username), db.Site.ProfileURL(n.username), keys)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Usage is what NodeInfo reports of an instance's activity.
type Usage struct {
	Members        int // active members
	ActiveMonth    int // members who signed in or posted in the last 30 days
	ActiveHalfyear int // the same over 180 days
	LocalPosts     int
}

// InstanceUsage counts members and posts for NodeInfo.
func (db *DB) InstanceUsage(ctx context.Context) (Usage, error) {
	var u Usage
	const activeSince = `(SELECT count(*) FROM members m WHERE m.status = 'active' AND (
		EXISTS (SELECT 1 FROM sessions s WHERE s.member_id = m.id AND s.created_at > %[1]s) OR
		EXISTS (SELECT 1 FROM posts p WHERE p.author_id = m.id AND p.published > %[1]s)))`
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM members WHERE status = 'active'), `+
			fmt.Sprintf(activeSince, "?1")+`, `+fmt.Sprintf(activeSince, "?2")+`,
			(SELECT count(*) FROM posts WHERE local = 1)`,
			millis(tx.now.AddDate(0, 0, -30)), millis(tx.now.AddDate(0, 0, -180))).
			Scan(&u.Members, &u.ActiveMonth, &u.ActiveHalfyear, &u.LocalPosts)
	})
	if err != nil {
		return Usage{}, fmt.Errorf("instance usage: %w", err)
	}
	return u, nil
}
