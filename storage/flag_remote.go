package storage

import (
	"context"
	"strings"
	"unicode"
)

// RemoteFlag is a Flag from another server, in any of the shapes servers
// send: Mastodon's (the instance actor, an account and its posts),
// Lemmy's (a person, one post, a community) and their kin.
type RemoteFlag struct {
	ActivityURI string
	ReporterID  string   // the actor who sent it, known here
	Objects     []string // the accounts and posts it names
	Reason      string   // the comment or summary, plain text
}

// maxFlagObjects is how many objects of a remote Flag are read: a report
// names an account and a few of its posts, and each object costs a
// lookup in the transaction.
const maxFlagObjects = 50

// ReceiveFlag stores a Flag from another server: one flag per post it
// names that exists here, each in its post's queue, with the other
// objects (the author's account, as Mastodon sends it) taken as context;
// a Flag naming accounts only flags each account known here. Objects not
// known here are passed over; a Flag naming nothing known is ENotFound.
// The same Flag delivered again changes nothing. Only the first
// maxFlagObjects objects are read.
func (db *DB) ReceiveFlag(ctx context.Context, r RemoteFlag) ([]*Flag, error) {
	reason := cleanComment(r.Reason)
	if len(r.Objects) > maxFlagObjects {
		r.Objects = r.Objects[:maxFlagObjects]
	}
	var stored []*Flag
	err := db.write(ctx, func(tx *Tx) error {
		var posts []*Post
		var accounts []*Actor
		for _, uri := range r.Objects {
			if p, err := tx.postWhere(ctx, "p.uri = ?", uri); err == nil {
				posts = append(posts, p)
			} else if ErrorCode(err) != ENotFound {
				return err
			} else if a, err := tx.actorWhere(ctx, "a.uri = ?", uri); err == nil {
				accounts = append(accounts, a)
			} else if ErrorCode(err) != ENotFound {
				return err
			}
		}
		var flags []*Flag
		for _, p := range posts {
			queue, err := tx.flagQueue(ctx, p)
			if err != nil {
				return err
			}
			flags = append(flags, &Flag{TargetURI: p.URI, PostID: p.ID, AccountID: p.AuthorID, SubwikiID: queue})
		}
		if len(posts) == 0 {
			for _, a := range accounts {
				flags = append(flags, &Flag{TargetURI: a.URI, AccountID: a.ID})
			}
		}
		if len(flags) == 0 {
			return Errorf(ENotFound, "The flag names nothing on this server.")
		}
		for _, f := range flags {
			f.ID, f.ReporterID, f.Category, f.Comment, f.Remote = tx.newID(), r.ReporterID, FlagOther, reason, true
			f.activityURI = r.ActivityURI
			err := tx.insertFlag(ctx, f)
			if ErrorCode(err) == EConflict {
				continue // delivered before
			}
			if err != nil {
				return err
			}
			stored = append(stored, f)
		}
		return nil
	})
	return stored, err
}

// cleanComment keeps a remote reason to plain text of the length a
// member's comment may have, with its line breaks.
func cleanComment(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > MaxFlagComment {
		s = string(r[:MaxFlagComment])
	}
	return s
}
