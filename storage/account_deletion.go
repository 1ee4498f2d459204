package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// DefaultDeletionGrace is how long a member may take back the deletion
// of their account when the config does not say.
const DefaultDeletionGrace = 7 * 24 * time.Hour

// AccountDeletion is a member's deletion of their own account: pending
// while DeletedAt is zero, done after.
type AccountDeletion struct {
	MemberID    string
	Username    string
	ActorURI    string
	RequestedAt time.Time
	DueAt       time.Time // the end of the grace period
	DeletedAt   time.Time // zero while the member can still take it back
}

// Pending reports whether the deletion can still be taken back.
func (d *AccountDeletion) Pending() bool { return d.DeletedAt.IsZero() }

// RequestAccountDeletion schedules the deletion of the member's own
// account after grace, once their password proves it is them. Until
// then the member can sign in, read and take it back, but not post; the
// janitor deletes the account after (DeleteDueAccount). The last admin
// cannot go, or nobody would be left to run the instance.
func (db *DB) RequestAccountDeletion(ctx context.Context, memberID, password string, grace time.Duration) (*AccountDeletion, error) {
	if grace < 0 {
		return nil, Errorf(EInvalid, "The grace period cannot be negative.")
	}
	var stored string
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT password_hash FROM members WHERE id = ?`, memberID).Scan(&stored)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(ENotFound, "No such member.")
	}
	if err != nil {
		return nil, fmt.Errorf("read password of %s: %w", memberID, err)
	}
	ok, err := db.passwordMatches(ctx, stored, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, Errorf(EForbidden, "The password is not right. Your account is not deleted.")
	}
	var d *AccountDeletion
	err = db.write(ctx, func(tx *Tx) error {
		m, err := tx.memberWhere(ctx, "id = ?", memberID)
		if err != nil {
			return err
		}
		if d, err = tx.accountDeletionWhere(ctx, "member_id = ?", memberID); err != nil || d != nil {
			if err != nil {
				return err
			}
			return Errorf(EConflict, "Your account is to be deleted already, on %s.", d.DueAt.Format("2 January 2006"))
		}
		if err := tx.mayLeaveAdmins(ctx, m); err != nil {
			return err
		}
		actor, err := tx.actorWhere(ctx, "a.id = ?", m.ID)
		if err != nil {
			return err
		}
		d = &AccountDeletion{MemberID: m.ID, Username: m.Username, ActorURI: actor.URI,
			RequestedAt: tx.now, DueAt: tx.now.Add(grace)}
		_, err = tx.ExecContext(ctx, `INSERT INTO account_deletions (member_id, username, actor_uri, requested_at, due_at)
			VALUES (?, ?, ?, ?, ?)`, d.MemberID, d.Username, d.ActorURI, millis(d.RequestedAt), millis(d.DueAt))
		if err != nil {
			return fmt.Errorf("schedule deletion of %s: %w", m.Username, err)
		}
		return nil
	})
	return d, err
}

// mayLeaveAdmins refuses the deletion of the last admin: another admin,
// active and not leaving too, must remain.
func (tx *Tx) mayLeaveAdmins(ctx context.Context, m *Member) error {
	if !m.IsAdmin {
		return nil
	}
	var others int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM members WHERE is_admin = 1 AND status = ? AND id <> ?
		AND id NOT IN (SELECT member_id FROM account_deletions)
		AND id NOT IN (SELECT member_id FROM member_suspensions)`, MemberActive, m.ID).Scan(&others)
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	if others == 0 {
		return Errorf(EConflict, "You are the last admin of this instance. Make another member an admin before you delete your account.")
	}
	return nil
}

// CancelAccountDeletion takes back the member's pending deletion.
func (db *DB) CancelAccountDeletion(ctx context.Context, memberID string) error {
	return db.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM account_deletions WHERE member_id = ? AND deleted_at IS NULL`, memberID)
		if err != nil {
			return fmt.Errorf("cancel deletion of %s: %w", memberID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Errorf(EConflict, "Your account is not to be deleted.")
		}
		return nil
	})
}

// AccountDeletionOf returns the member's deletion, or nil when they have
// not asked for one.
func (db *DB) AccountDeletionOf(ctx context.Context, memberID string) (*AccountDeletion, error) {
	var d *AccountDeletion
	err := db.read(ctx, func(tx *Tx) (err error) {
		d, err = tx.accountDeletionWhere(ctx, "member_id = ?", memberID)
		return err
	})
	return d, err
}

// DeletedAccount returns the deletion of the account that had the
// username, done or pending, or nil.
func (db *DB) DeletedAccount(ctx context.Context, username string) (*AccountDeletion, error) {
	var d *AccountDeletion
	err := db.read(ctx, func(tx *Tx) (err error) {
		d, err = tx.accountDeletionWhere(ctx, "username = ?", username)
		return err
	})
	return d, err
}

// PendingAccountDeletions lists the deletions still in their grace
// period, the soonest due first, for the admins.
func (db *DB) PendingAccountDeletions(ctx context.Context) ([]*AccountDeletion, error) {
	var list []*AccountDeletion
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+accountDeletionColumns+` FROM account_deletions
			WHERE deleted_at IS NULL ORDER BY due_at, member_id`)
		if err != nil {
			return fmt.Errorf("list pending deletions: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanAccountDeletion(rows)
			if err != nil {
				return err
			}
			list = append(list, d)
		}
		return rows.Err()
	})
	return list, err
}

const accountDeletionColumns = `member_id, username, actor_uri, requested_at, due_at, coalesce(deleted_at, 0)`

func scanAccountDeletion(row interface{ Scan(...any) error }) (*AccountDeletion, error) {
	var d AccountDeletion
	var requested, due, deleted int64
	if err := row.Scan(&d.MemberID, &d.Username, &d.ActorURI, &requested, &due, &deleted); err != nil {
		return nil, err
	}
	d.RequestedAt, d.DueAt = fromMillis(requested), fromMillis(due)
	if deleted != 0 {
		d.DeletedAt = fromMillis(deleted)
	}
	return &d, nil
}

// accountDeletionWhere returns the one deletion matching cond, or nil.
func (tx *Tx) accountDeletionWhere(ctx context.Context, cond string, args ...any) (*AccountDeletion, error) {
	d, err := scanAccountDeletion(tx.QueryRowContext(ctx, `SELECT `+accountDeletionColumns+` FROM account_deletions WHERE `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find account deletion: %w", err)
	}
	return d, nil
}

// mustNotBeLeaving refuses a member whose account is to be deleted: they
// may read and take the deletion back, but not post.
func (tx *Tx) mustNotBeLeaving(ctx context.Context, memberID string) error {
	d, err := tx.accountDeletionWhere(ctx, "member_id = ?", memberID)
	if err != nil || d == nil {
		return err
	}
	return Errorf(EForbidden, "Your account is to be deleted on %s. Cancel the deletion in Settings to post again.",
		d.DueAt.Format("2 January 2006"))
}
