package storage

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxMutedWordLength and MaxMutedWords bound a member's word list.
const (
	MaxMutedWordLength = 100
	MaxMutedWords      = 200
)

// MuteState is how a member stands towards an actor: what the buttons on
// its page offer.
type MuteState struct {
	Muted     bool // the member muted it
	Blocked   bool // the member blocked it
	BlockedBy bool // it blocked the member
}

// MuteList is everything a member muted or blocked.
type MuteList struct {
	Accounts []*Actor // muted people, here and elsewhere
	Subwikis []*Actor // muted subwikis
	Blocked  []*Actor
	Words    []string
}

// mutable returns the actor the member may mute: any account or subwiki
// but themselves and servers.
func (tx *Tx) mutable(ctx context.Context, memberID, targetID string) (*Actor, error) {
	target, err := tx.actorWhere(ctx, "a.id = ?", targetID)
	if err != nil {
		return nil, err
	}
	switch {
	case target.ID == memberID:
		return nil, Errorf(EInvalid, "You cannot mute or block yourself.")
	case target.Kind == KindApplication:
		return nil, Errorf(EInvalid, "%s is a server, not an account.", target.Handle())
	}
	return target, nil
}

// Mute hides the account's or subwiki's posts from the member's feeds and
// its doings from their notifications. Muting twice changes nothing; no
// other server hears of it.
func (db *DB) Mute(ctx context.Context, memberID, targetID string) error {
	return db.write(ctx, func(tx *Tx) error {
		if _, err := tx.mutable(ctx, memberID, targetID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO mutes (member_id, target_id, created_at) VALUES (?, ?, ?)`,
			memberID, targetID, millis(tx.now))
		if err != nil {
			return fmt.Errorf("mute %s: %w", targetID, err)
		}
		return nil
	})
}

// Unmute lifts the member's mute of the actor, if any.
func (db *DB) Unmute(ctx context.Context, memberID, targetID string) error {
	return db.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM mutes WHERE member_id = ? AND target_id = ?`, memberID, targetID)
		if err != nil {
			return fmt.Errorf("unmute %s: %w", targetID, err)
		}
		return nil
	})
}

// cleanMutedWord is the word or phrase as it is kept and matched: trimmed,
// inner spaces collapsed, lower case.
func cleanMutedWord(word string) (string, error) {
	word = strings.ToLower(strings.Join(strings.Fields(word), " "))
	switch {
	case word == "":
		return "", Errorf(EInvalid, "Give a word to mute.")
	case utf8.RuneCountInString(word) > MaxMutedWordLength:
		return "", Errorf(EInvalid, "A muted word is at most %d characters.", MaxMutedWordLength)
	case !strings.ContainsFunc(word, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }):
		return "", Errorf(EInvalid, "A muted word needs a letter or a digit.")
	}
	return word, nil
}

// MuteWord hides from the member's feeds the posts whose headline or text
// has the word (or phrase) as a whole word, in any case.
func (db *DB) MuteWord(ctx context.Context, memberID, word string) error {
	word, err := cleanMutedWord(word)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM muted_words WHERE member_id = ?`, memberID).Scan(&n); err != nil {
			return fmt.Errorf("count muted words: %w", err)
		}
		if n >= MaxMutedWords {
			return Errorf(EInvalid, "You can mute at most %d words.", MaxMutedWords)
		}
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO muted_words (member_id, word, created_at) VALUES (?, ?, ?)`,
			memberID, word, millis(tx.now))
		if err != nil {
			return fmt.Errorf("mute word: %w", err)
		}
		return nil
	})
}

// UnmuteWord takes the word off the member's list.
func (db *DB) UnmuteWord(ctx context.Context, memberID, word string) error {
	word = strings.ToLower(strings.Join(strings.Fields(word), " "))
	return db.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM muted_words WHERE member_id = ? AND word = ?`, memberID, word)
		if err != nil {
			return fmt.Errorf("unmute word: %w", err)
		}
		return nil
	})
}

// MuteStateOf returns how the member stands towards the actor.
func (db *DB) MuteStateOf(ctx context.Context, memberID, targetID string) (MuteState, error) {
	var s MuteState
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT
			EXISTS (SELECT 1 FROM mutes WHERE member_id = ?1 AND target_id = ?2),
			EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?1 AND blocked_id = ?2),
			EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?2 AND blocked_id = ?1)`, memberID, targetID).
			Scan(&s.Muted, &s.Blocked, &s.BlockedBy)
	})
	if err != nil {
		return s, fmt.Errorf("mute state of %s: %w", targetID, err)
	}
	return s, nil
}
