package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// DomainLevel is what a domain block does to a remote server.
type DomainLevel string

// Domain block levels, weakest first.
const (
	// DomainNone: the server federates freely.
	DomainNone DomainLevel = ""
	// DomainLimit: its accounts reach only the members who follow them,
	// and their follow requests wait for approval (Mastodon's "limit").
	DomainLimit DomainLevel = "limit"
	// DomainSuspend: nothing is taken from it or sent to it, and what it
	// had here is gone (Mastodon's "suspend").
	DomainSuspend DomainLevel = "suspend"
)

// DomainBlock is a remote server suspended or limited by the instance.
type DomainBlock struct {
	Host       string // lowercased host, or host:port; covers its subdomains
	Level      DomainLevel
	Reason     string
	FromConfig bool   // set in the config file, not changeable at runtime
	ActorID    string // the admin who set it; "" for the config file
	CreatedAt  time.Time
}

// ByOperator is the ActorID of an action by the server's operator, at
// the command line, where nobody is signed in.
const ByOperator = ""

// DomainBlockCreate is an admin's block or limit of a server.
type DomainBlockCreate struct {
	ActorID string // the admin, or ByOperator
	Host    string
	Level   DomainLevel
	Reason  string
}

// MaxDomainReasonLength bounds the reason given for a domain block.
const MaxDomainReasonLength = 500

// BlockDomain suspends or limits a remote server (and its subdomains),
// or changes the level of its block, and logs it in the instance's
// moderation log. Suspending drops the deliveries waiting for it, ends
// the follows between members and its accounts and deletes their posts
// here, all in the same transaction. Only admins may; a block from the
// config file can be changed only there.
func (db *DB) BlockDomain(ctx context.Context, c DomainBlockCreate) (*DomainBlock, error) {
	host, err := NormalizeDomain(c.Host)
	if err != nil {
		return nil, err
	}
	if c.Level != DomainSuspend && c.Level != DomainLimit {
		return nil, Errorf(EInvalid, "The level of a domain block is suspend or limit, not %q.", c.Level)
	}
	reason := cleanLine(c.Reason, MaxDomainReasonLength)
	b := &DomainBlock{Host: host, Level: c.Level, Reason: reason, ActorID: c.ActorID}
	err = db.write(ctx, func(tx *Tx) error {
		if err := tx.mustBeAdmin(ctx, c.ActorID); err != nil {
			return err
		}
		if DomainCovers(host, db.Site.Domain) {
			return Errorf(EInvalid, "%s is this instance's own domain.", host)
		}
		old, err := tx.domainBlock(ctx, host)
		if err != nil {
			return err
		}
		if old != nil && old.FromConfig {
			return Errorf(EConflict, "%s is blocked in the config file; change it there.", host)
		}
		b.CreatedAt = tx.now
		return tx.putDomainBlock(ctx, b, "admin")
	})
	if err != nil {
		return nil, err
	}
	db.domains.invalidate()
	db.actors.forgetAll()
	return b, nil
}

// UnblockDomain lifts a runtime block or limit of a server and logs it.
// Content deleted by a suspension does not come back.
func (db *DB) UnblockDomain(ctx context.Context, actorID, host string) error {
	host, err := NormalizeDomain(host)
	if err != nil {
		return err
	}
	err = db.write(ctx, func(tx *Tx) error {
		if err := tx.mustBeAdmin(ctx, actorID); err != nil {
			return err
		}
		old, err := tx.domainBlock(ctx, host)
		if err != nil {
			return err
		}
		switch {
		case old == nil:
			return Errorf(ENotFound, "%s is not blocked.", host)
		case old.FromConfig:
			return Errorf(EConflict, "%s is blocked in the config file; remove it there.", host)
		}
		return tx.deleteDomainBlock(ctx, host, actorID, "")
	})
	if err == nil {
		db.domains.invalidate()
		db.actors.forgetAll()
	}
	return err
}

// DomainBlocks lists the blocked and limited servers by host.
func (db *DB) DomainBlocks(ctx context.Context) ([]*DomainBlock, error) {
	var list []*DomainBlock
	err := db.read(ctx, func(tx *Tx) (err error) {
		list, err = tx.domainBlocks(ctx, "")
		return err
	})
	return list, err
}

// ApplyConfigDomains makes the config file's blocked and limited domains
// the config's rows of the table, at start: those added are applied (and
// logged) as an admin's would be, those no longer in the file lifted; a
// runtime block of a host the file names gives way to the file's.
func (db *DB) ApplyConfigDomains(ctx context.Context, suspended, limited []string) error {
	want := map[string]DomainLevel{}
	for _, list := range []struct {
		hosts []string
		level DomainLevel
	}{{limited, DomainLimit}, {suspended, DomainSuspend}} {
		for _, h := range list.hosts {
			host, err := NormalizeDomain(h)
			if err != nil {
				return err
			}
			want[host] = list.level
		}
	}
	err := db.write(ctx, func(tx *Tx) error {
		have, err := tx.domainBlocks(ctx, "")
		if err != nil {
			return err
		}
		for _, old := range have {
			if _, still := want[old.Host]; old.FromConfig && !still {
				if err := tx.deleteDomainBlock(ctx, old.Host, "", "removed from the config file"); err != nil {
					return err
				}
			}
		}
		for host, level := range want {
			old, err := tx.domainBlock(ctx, host)
			if err != nil {
				return err
			}
			if old != nil && old.FromConfig && old.Level == level {
				continue
			}
			b := &DomainBlock{Host: host, Level: level, Reason: "set in the config file", FromConfig: true, CreatedAt: tx.now}
			if err := tx.putDomainBlock(ctx, b, "config"); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		db.domains.invalidate()
		db.actors.forgetAll()
	}
	return err
}

// putDomainBlock writes a block, logs it and, for a suspension, applies it.
func (tx *Tx) putDomainBlock(ctx context.Context, b *DomainBlock, source string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO domain_blocks (host, level, reason, source, actor_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (host) DO UPDATE SET level = excluded.level, reason = excluded.reason,
		source = excluded.source, actor_id = excluded.actor_id, created_at = excluded.created_at`,
		b.Host, string(b.Level), b.Reason, source, nullable(b.ActorID), millis(b.CreatedAt))
	if err != nil {
		return fmt.Errorf("block domain %s: %w", b.Host, err)
	}
	action := ModLimitDomain
	if b.Level == DomainSuspend {
		action = ModBlockDomain
	}
	if err := tx.logModeration(ctx, ModerationEntry{ActorID: b.ActorID, Action: action, TargetURI: b.Host,
		TargetText: b.Host, Reason: b.Reason}); err != nil {
		return err
	}
	if b.Level == DomainSuspend {
		return tx.suspendDomain(ctx, b.Host)
	}
	return nil
}

// deleteDomainBlock lifts a block and logs it.
func (tx *Tx) deleteDomainBlock(ctx context.Context, host, actorID, reason string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM domain_blocks WHERE host = ?`, host); err != nil {
		return fmt.Errorf("unblock domain %s: %w", host, err)
	}
	return tx.logModeration(ctx, ModerationEntry{ActorID: actorID, Action: ModUnblockDomain, TargetURI: host,
		TargetText: host, Reason: reason})
}

// domainBlock is the block of exactly host, or nil.
func (tx *Tx) domainBlock(ctx context.Context, host string) (*DomainBlock, error) {
	list, err := tx.domainBlocks(ctx, host)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// domainBlocks reads the blocks, or the one of host when it is not "".
func (tx *Tx) domainBlocks(ctx context.Context, host string) ([]*DomainBlock, error) {
	rows, err := tx.QueryContext(ctx, `SELECT host, level, reason, source, coalesce(actor_id, ''), created_at
		FROM domain_blocks WHERE ? = '' OR host = ? ORDER BY host`, host, host)
	if err != nil {
		return nil, fmt.Errorf("domain blocks: %w", err)
	}
	defer rows.Close()
	var list []*DomainBlock
	for rows.Next() {
		var b DomainBlock
		var level, source string
		var created int64
		if err := rows.Scan(&b.Host, &level, &b.Reason, &source, &b.ActorID, &created); err != nil {
			return nil, fmt.Errorf("read domain block: %w", err)
		}
		b.Level, b.FromConfig, b.CreatedAt = DomainLevel(level), source == "config", fromMillis(created)
		list = append(list, &b)
	}
	return list, rows.Err()
}

// mustBeAdmin refuses anyone but an active admin of this instance, or
// the server's operator (memberID ""), who acts from the command line.
func (tx *Tx) mustBeAdmin(ctx context.Context, memberID string) error {
	if memberID == ByOperator {
		return nil
	}
	var isAdmin bool
	err := tx.QueryRowContext(ctx, `SELECT is_admin FROM members WHERE id = ? AND status = ?`, memberID, MemberActive).Scan(&isAdmin)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !isAdmin) {
		return Errorf(EForbidden, "Only admins may block or limit servers.")
	}
	if err != nil {
		return fmt.Errorf("check admin: %w", err)
	}
	return nil
}

// NormalizeDomain checks a domain block's host and gives it in the form
// stored: lowercased, without a trailing dot or a leading "*." (a block
// covers subdomains anyway); a port is kept, for a server on one port of
// a host. A URL, a path or anything not a host name is refused.
func NormalizeDomain(s string) (string, error) {
	host := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
	host = strings.TrimPrefix(host, "*.")
	name := host
	if h, port, err := net.SplitHostPort(host); err == nil {
		if port == "" || strings.Trim(port, "0123456789") != "" {
			return "", Errorf(EInvalid, "%q is not a host name: its port is not a number.", s)
		}
		name = h
	}
	if name == "" || len(host) > 253 {
		return "", Errorf(EInvalid, "%q is not a host name.", s)
	}
	if net.ParseIP(name) != nil {
		return host, nil
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 || strings.Trim(label, "abcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
			return "", Errorf(EInvalid, "%q is not a host name (give just the host, like example.com).", s)
		}
	}
	return host, nil
}
