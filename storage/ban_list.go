package storage

import (
	"context"
	"fmt"
)

// SubwikiBans lists the bans in force in a subwiki, newest first, for its
// moderators and the admins.
func (db *DB) SubwikiBans(ctx context.Context, memberID, subwikiID string) ([]*SubwikiBan, error) {
	var list []*SubwikiBan
	err := db.read(ctx, func(tx *Tx) error {
		if _, err := tx.mayBan(ctx, memberID, subwikiID); err != nil {
			return err
		}
		var err error
		list, err = tx.bansWhere(ctx, `subwiki_id = ? AND lifted_at IS NULL AND (until IS NULL OR until > ?)`, subwikiID, millis(tx.now))
		return err
	})
	return list, err
}

// BansOf lists the bans in force on an account, in subwikis here and in
// remote groups, newest first.
func (db *DB) BansOf(ctx context.Context, accountID string) ([]*SubwikiBan, error) {
	var list []*SubwikiBan
	err := db.read(ctx, func(tx *Tx) (err error) {
		list, err = tx.bansWhere(ctx, `account_id = ? AND lifted_at IS NULL AND (until IS NULL OR until > ?)`, accountID, millis(tx.now))
		return err
	})
	return list, err
}

// CurrentBan returns the ban in force on the account in the subwiki, or
// nil when there is none.
func (db *DB) CurrentBan(ctx context.Context, accountID, subwikiID string) (*SubwikiBan, error) {
	var ban *SubwikiBan
	err := db.read(ctx, func(tx *Tx) (err error) {
		ban, err = tx.currentBan(ctx, accountID, subwikiID)
		return err
	})
	return ban, err
}

// BanByID returns a ban, lifted or not, with its account and subwiki.
func (db *DB) BanByID(ctx context.Context, id string) (*SubwikiBan, error) {
	var ban *SubwikiBan
	err := db.read(ctx, func(tx *Tx) error {
		list, err := tx.bansWhere(ctx, "id = ?", id)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return Errorf(ENotFound, "No such ban.")
		}
		ban = list[0]
		return nil
	})
	return ban, err
}

// bansWhere lists the bans matching the condition with their accounts
// and subwikis.
func (tx *Tx) bansWhere(ctx context.Context, cond string, args ...any) ([]*SubwikiBan, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+banColumns+` FROM subwiki_bans WHERE `+cond+` ORDER BY id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("list bans: %w", err)
	}
	defer rows.Close()
	var list []*SubwikiBan
	for rows.Next() {
		b, err := scanBan(rows)
		if err != nil {
			return nil, fmt.Errorf("read ban: %w", err)
		}
		list = append(list, b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for _, b := range list {
		if b.Account, err = tx.actorWhere(ctx, "a.id = ?", b.AccountID); err != nil {
			return nil, err
		}
		if b.Subwiki, err = tx.actorWhere(ctx, "a.id = ?", b.SubwikiID); err != nil {
			return nil, err
		}
	}
	return list, nil
}
