package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Mail kinds: what a member is told by email.
const (
	MailPasswordReset = "password_reset" // a link to set a new password (Payload.Token)
	MailWaitingList   = "waiting_list"   // the sign-up waits for an admin's approval
	MailApproved      = "approved"       // an admin approved the sign-up
)

// MailMaxAttempts is how many times sending a mail may fail before it is
// parked: kept, but no longer tried, so that a mail the SMTP server
// keeps refusing never holds up the others.
const MailMaxAttempts = 8

// Mail is a message to a member waiting in the queue. Its text is the
// web layer's to write; storage keeps what it tells of.
type Mail struct {
	ID        string
	Kind      string
	Member    *Member // the recipient, as they are now; nil if gone
	Payload   MailPayload
	CreatedAt time.Time
	ExpiresAt time.Time // zero: never; a reset link is not sent after it

	Attempts  int    // failed sends so far
	LastError string // why the last one failed
	Parked    bool   // given up on after MailMaxAttempts
}

// MailPayload is what a kind of mail needs beyond its member.
type MailPayload struct {
	Token string `json:"token,omitempty"` // the password reset link's token, until the mail is sent
	Place int    `json:"place,omitempty"` // the number in line of a waiting-list mail in waitlist mode
}

// queueMail writes a mail to the member in the transaction of the event
// it tells of. Without mail set up (DB.SendsMail false) it writes
// nothing: a mail queued then would be sent, stale, the day mail is set
// up.
func (tx *Tx) queueMail(ctx context.Context, kind, memberID string, payload MailPayload, expires time.Time) error {
	if !tx.db.SendsMail {
		return nil
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("encode %s mail: %w", kind, err)
	}
	var expiresAt int64
	if !expires.IsZero() {
		expiresAt = millis(expires)
	}
	if err := tx.dropExpiredMail(ctx); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO mail_outbox (id, kind, member_id, payload, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		tx.newID(), kind, memberID, string(body), millis(tx.now), expiresAt)
	if err != nil {
		return fmt.Errorf("queue %s mail: %w", kind, err)
	}
	return nil
}

// dropExpiredMail forgets the mail whose link expired before it could
// be sent: sent later, it would only disappoint.
func (tx *Tx) dropExpiredMail(ctx context.Context) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM mail_outbox WHERE expires_at > 0 AND expires_at <= ?`, millis(tx.now)); err != nil {
		return fmt.Errorf("drop expired mail: %w", err)
	}
	return nil
}

// mailColumns are the columns scanMail reads.
const mailColumns = `id, kind, member_id, payload, created_at, expires_at, attempts, last_error, parked_at IS NOT NULL`

// queuedMail runs a query of mailColumns and reads each mail's member.
// A payload that does not decode leaves the mail without one: the
// sender then fails it, instead of the queue stopping at it.
func (tx *Tx) queuedMail(ctx context.Context, query string, args ...any) ([]*Mail, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var list []*Mail
	var members []string
	for rows.Next() {
		var m Mail
		var memberID, payload string
		var created, expires int64
		if err := rows.Scan(&m.ID, &m.Kind, &memberID, &payload, &created, &expires, &m.Attempts, &m.LastError, &m.Parked); err != nil {
			rows.Close()
			return nil, err
		}
		json.Unmarshal([]byte(payload), &m.Payload)
		m.CreatedAt = fromMillis(created)
		if expires != 0 {
			m.ExpiresAt = fromMillis(expires)
		}
		list = append(list, &m)
		members = append(members, memberID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, m := range list {
		// Members take their mail with them when deleted; should one be
		// missing all the same, the mail is left without a recipient, for
		// the sender to fail, rather than the whole queue.
		m.Member, err = tx.memberWhere(ctx, "id = ?", members[i])
		if err != nil && ErrorCode(err) != ENotFound {
			return nil, err
		}
	}
	return list, nil
}

// DueMail returns up to limit mails due to be sent, oldest first: not
// parked, not waiting for their next attempt, not expired.
func (db *DB) DueMail(ctx context.Context, limit int) ([]*Mail, error) {
	var list []*Mail
	err := db.read(ctx, func(tx *Tx) (err error) {
		list, err = tx.queuedMail(ctx, `SELECT `+mailColumns+` FROM mail_outbox
			WHERE parked_at IS NULL AND next_attempt_at <= ? AND (expires_at = 0 OR expires_at > ?)
			ORDER BY id LIMIT ?`, millis(tx.now), millis(tx.now), limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("due mail: %w", err)
	}
	return list, nil
}

// QueuedMail returns up to limit mails not sent yet, oldest first,
// whether due, waiting for a retry, or parked.
func (db *DB) QueuedMail(ctx context.Context, limit int) ([]*Mail, error) {
	var list []*Mail
	err := db.read(ctx, func(tx *Tx) (err error) {
		list, err = tx.queuedMail(ctx, `SELECT `+mailColumns+` FROM mail_outbox ORDER BY id LIMIT ?`, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("queued mail: %w", err)
	}
	return list, nil
}

// MailSent removes a mail the SMTP server has taken, and with it the
// reset token it carried; mail that expired unsent goes too.
func (db *DB) MailSent(ctx context.Context, id string) error {
	return db.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM mail_outbox WHERE id = ?`, id); err != nil {
			return fmt.Errorf("mail %s sent: %w", id, err)
		}
		return tx.dropExpiredMail(ctx)
	})
}

// MailFailed records a failed send: the mail is due again after wait,
// or parked once it has failed MailMaxAttempts times. It reports whether
// the mail is now parked. A mail no longer queued (sent, expired, or its
// member gone) is ENotFound.
func (db *DB) MailFailed(ctx context.Context, id, reason string, wait time.Duration) (parked bool, err error) {
	err = db.write(ctx, func(tx *Tx) error {
		if err := tx.dropExpiredMail(ctx); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
				parked_at = CASE WHEN attempts + 1 >= ? THEN ? END
			WHERE id = ? AND parked_at IS NULL
			RETURNING parked_at IS NOT NULL`,
			reason, millis(tx.now.Add(wait)), MailMaxAttempts, millis(tx.now), id).Scan(&parked)
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENotFound, "The mail %s is not waiting to be sent.", id)
		}
		return err
	})
	if err != nil && ErrorCode(err) == EInternal {
		err = fmt.Errorf("mail %s failed: %w", id, err)
	}
	return parked, err
}
