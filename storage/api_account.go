package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// AccountCard is what an account's card in the client API shows besides
// the actor: its counts, its bio and fields, and whether it hides its
// network.
type AccountCard struct {
	Followers int
	Following int
	// Statuses counts what everyone may see: a person's posts and
	// comments, a group's posts (not comments); LastStatus is the newest
	// one's time, zero for none.
	Statuses   int
	LastStatus time.Time
	BioHTML    string // a member's rendered bio, or the remote account's sanitized summary
	BioSource  string // what a member wrote; "" for a remote account
	Fields     []ProfileField
	// HideNetwork: a member here who hides whom they follow and who
	// follows them; the counts stay public.
	HideNetwork bool
}

// accountStatsSQL counts, for each actor id in the JSON array ?1, its
// accepted follows both ways and the posts a stranger may see: authored
// by a person, published in a group. CASE runs only the branch it takes.
var accountStatsSQL = `SELECT a.id, a.kind, a.summary,
	(SELECT count(*) FROM follows WHERE followee_id = a.id AND state = 'accepted'),
	(SELECT count(*) FROM follows WHERE follower_id = a.id AND state = 'accepted'),
	CASE WHEN a.kind = 'Group'
		THEN (SELECT count(*) FROM posts p WHERE p.subwiki_id = a.id AND p.kind <> 'comment' AND ` + visibleSQL("p", "''") + `)
		ELSE (SELECT count(*) FROM posts p WHERE p.author_id = a.id AND ` + visibleSQL("p", "''") + `) END,
	CASE WHEN a.kind = 'Group'
		THEN (SELECT coalesce(max(p.published), 0) FROM posts p WHERE p.subwiki_id = a.id AND p.kind <> 'comment' AND ` + visibleSQL("p", "''") + `)
		ELSE (SELECT coalesce(max(p.published), 0) FROM posts p WHERE p.author_id = a.id AND ` + visibleSQL("p", "''") + `) END
	FROM actors a WHERE a.id IN (SELECT value FROM json_each(?1))`

// AccountCards returns the cards of the actors with the ids, keyed by id,
// in three queries whatever their number; unknown ids are left out.
func (db *DB) AccountCards(ctx context.Context, ids []string) (map[string]*AccountCard, error) {
	cards := make(map[string]*AccountCard, len(ids))
	if len(ids) == 0 {
		return cards, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("list account ids: %w", err)
	}
	err = db.read(ctx, func(tx *Tx) error {
		if err := tx.accountStats(ctx, string(list), cards); err != nil {
			return err
		}
		if err := tx.accountBios(ctx, string(list), cards); err != nil {
			return err
		}
		return tx.accountFields(ctx, string(list), cards)
	})
	if err != nil {
		return nil, err
	}
	return cards, nil
}

func (tx *Tx) accountStats(ctx context.Context, list string, cards map[string]*AccountCard) error {
	rows, err := tx.QueryContext(ctx, accountStatsSQL, list)
	if err != nil {
		return fmt.Errorf("count accounts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, kind string
		var last int64
		c := &AccountCard{}
		if err := rows.Scan(&id, &kind, &c.BioHTML, &c.Followers, &c.Following, &c.Statuses, &last); err != nil {
			return fmt.Errorf("count account: %w", err)
		}
		if last != 0 {
			c.LastStatus = fromMillis(last)
		}
		cards[id] = c
	}
	return rows.Err()
}

// accountBios reads the bios of members among the cards; one written
// before bios were Markdown is shown as the text it was (memberBio).
func (tx *Tx) accountBios(ctx context.Context, list string, cards map[string]*AccountCard) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, bio, bio_html, hide_network FROM members
		WHERE id IN (SELECT value FROM json_each(?))`, list)
	if err != nil {
		return fmt.Errorf("read bios: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, source, html string
		var hide bool
		if err := rows.Scan(&id, &source, &html, &hide); err != nil {
			return fmt.Errorf("read bio: %w", err)
		}
		c := cards[id]
		if c == nil {
			continue
		}
		c.BioSource, c.BioHTML, c.HideNetwork = source, html, hide
		if html == "" {
			c.BioHTML = TextToHTML(source)
		}
	}
	return rows.Err()
}

func (tx *Tx) accountFields(ctx context.Context, list string, cards map[string]*AccountCard) error {
	rows, err := tx.QueryContext(ctx, `SELECT actor_id, name, value, value_html FROM profile_fields
		WHERE actor_id IN (SELECT value FROM json_each(?)) ORDER BY actor_id, position`, list)
	if err != nil {
		return fmt.Errorf("read profile fields: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var f ProfileField
		if err := rows.Scan(&id, &f.Name, &f.Value, &f.ValueHTML); err != nil {
			return fmt.Errorf("read profile field: %w", err)
		}
		if c := cards[id]; c != nil {
			c.Fields = append(c.Fields, f)
		}
	}
	return rows.Err()
}
