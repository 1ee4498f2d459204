package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Proposal states.
const (
	ProposalPending  = "pending"
	ProposalAccepted = "accepted"
	ProposalRejected = "rejected"
)

// Event kinds of proposals.
const (
	EventProposeHeadline = "propose_headline" // Subject: the proposal; to the post's author (its origin)
	EventAcceptProposal  = "accept_proposal"  // Payload: the Offer's id, the proposer, the revision's id
	EventRejectProposal  = "reject_proposal"  // Payload: the Offer's id, the proposer, the reason in ActivityURI's place
)

// Proposal is a correction a member here proposed to the origin server
// of a post, and its answer.
type Proposal struct {
	ID           string
	PostID       string
	MemberID     string
	BaseRevision int
	Headline     string
	Reason       string
	SourceURL    string
	ActivityURI  string // the Offer's id
	State        string
	Answer       string // the origin's reason, for a rejection
	CreatedAt    time.Time
}

// ProposeHeadline records a member's correction of a post whose origin
// (another Tidings) decides, and sends it there as an Offer. The rules
// the origin applies are its own; here the edit must be well formed,
// against the current revision of our copy, and within the rate limit.
func (db *DB) ProposeHeadline(ctx context.Context, e HeadlineEdit) (*Proposal, error) {
	if err := e.check(); err != nil {
		return nil, err
	}
	var prop *Proposal
	err := db.write(ctx, func(tx *Tx) error {
		c, err := tx.target(ctx, e.PostID)
		if err != nil {
			return err
		}
		if err := tx.mustSee(ctx, e.EditorID, c.post.ID); err != nil {
			return err
		}
		if c.authority != AuthorityOrigin {
			return Errorf(EInvalid, "This server decides on this headline; correct it directly.")
		}
		if locked, reason, err := tx.headlineLock(ctx, c.post.ID); err != nil || locked {
			if err != nil {
				return err
			}
			return Errorf(EForbidden, "The headline is locked by the moderators: %s", reason)
		}
		if e.BaseRevision != c.post.Revision {
			return Errorf(EConflict, "The headline was corrected meanwhile; it is now “%s” (revision %d).", c.post.Headline, c.post.Revision)
		}
		if e.RevertTo > 0 {
			if err := tx.QueryRowContext(ctx, `SELECT headline FROM headline_revisions WHERE post_id = ? AND number = ?`,
				c.post.ID, e.RevertTo).Scan(&e.Headline); err != nil {
				return Errorf(ENotFound, "There is no revision %d to restore.", e.RevertTo)
			}
		}
		if e.Headline == c.post.Headline {
			return Errorf(EInvalid, "That is the headline already.")
		}
		if err := tx.withinRate(ctx, e.EditorID); err != nil {
			return err
		}
		id := tx.newID()
		prop = &Proposal{ID: id, PostID: c.post.ID, MemberID: e.EditorID, BaseRevision: e.BaseRevision,
			Headline: e.Headline, Reason: e.Reason, SourceURL: e.SourceURL, ActivityURI: tx.db.Site.ActivityURI(id),
			State: ProposalPending, CreatedAt: tx.now}
		if _, err := tx.ExecContext(ctx, `INSERT INTO headline_proposals (id, post_id, member_id, base_revision, headline,
			reason, source_url, activity_uri, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			prop.ID, prop.PostID, prop.MemberID, prop.BaseRevision, prop.Headline, prop.Reason, prop.SourceURL,
			prop.ActivityURI, prop.State, millis(tx.now)); err != nil {
			return fmt.Errorf("insert proposal: %w", err)
		}
		return tx.enqueue(ctx, EventProposeHeadline, prop.ID, e.EditorID, OutboxPayload{TargetActorID: c.post.AuthorID})
	})
	return prop, err
}

const proposalColumns = `id, post_id, member_id, base_revision, headline, reason, source_url, activity_uri, state, answer, created_at`

func scanProposal(row interface{ Scan(...any) error }) (*Proposal, error) {
	var p Proposal
	var created int64
	if err := row.Scan(&p.ID, &p.PostID, &p.MemberID, &p.BaseRevision, &p.Headline, &p.Reason, &p.SourceURL,
		&p.ActivityURI, &p.State, &p.Answer, &created); err != nil {
		return nil, err
	}
	p.CreatedAt = fromMillis(created)
	return &p, nil
}

// ProposalByID returns a proposal.
func (db *DB) ProposalByID(ctx context.Context, id string) (*Proposal, error) {
	var p *Proposal
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		p, err = scanProposal(tx.QueryRowContext(ctx, `SELECT `+proposalColumns+` FROM headline_proposals WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENotFound, "No such proposal.")
		}
		return err
	})
	return p, err
}

// Proposals lists the proposals made here for a post, newest first.
func (db *DB) Proposals(ctx context.Context, postID string) ([]*Proposal, error) {
	var list []*Proposal
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+proposalColumns+` FROM headline_proposals WHERE post_id = ? ORDER BY id DESC LIMIT 100`, postID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanProposal(rows)
			if err != nil {
				return err
			}
			list = append(list, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("proposals of %s: %w", postID, err)
	}
	return list, nil
}

// AnswerProposal records the origin's answer to a proposal, named by
// the Offer's id; the origin (the post's author's server) alone may.
func (db *DB) AnswerProposal(ctx context.Context, answererID, offerURI string, accepted bool, reason string) error {
	return db.write(ctx, func(tx *Tx) error {
		var id, authorID string
		err := tx.QueryRowContext(ctx, `SELECT hp.id, p.author_id FROM headline_proposals hp JOIN posts p ON p.id = hp.post_id
			WHERE hp.activity_uri = ?`, offerURI).Scan(&id, &authorID)
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENotFound, "No such proposal.")
		}
		if err != nil {
			return fmt.Errorf("find proposal: %w", err)
		}
		answerer, err := tx.actorWhere(ctx, "a.id = ?", answererID)
		if err != nil {
			return err
		}
		author, err := tx.actorWhere(ctx, "a.id = ?", authorID)
		if err != nil {
			return err
		}
		if !sameHost(answerer.URI, author.URI) {
			return Errorf(EForbidden, "Only the post's own server answers proposals.")
		}
		state := ProposalRejected
		if accepted {
			state = ProposalAccepted
		}
		_, err = tx.ExecContext(ctx, `UPDATE headline_proposals SET state = ?, answer = ?, answered_at = ? WHERE id = ?`,
			state, cleanLine(reason, maxReasonLength), millis(tx.now), id)
		return err
	})
}

// ReceiveProposal decides on a correction proposed from another server
// (an Offer to the author of one of our posts), with the same rules as
// for members here, and queues the answer: Accept, naming the new
// revision, or Reject with the reason. The refusal, when there is one,
// is returned as refused; err is for faults.
func (db *DB) ReceiveProposal(ctx context.Context, e HeadlineEdit, offerURI string) (rev *Revision, refused, err error) {
	if err := e.check(); err != nil {
		return nil, err, db.rejectProposal(ctx, e, offerURI, err)
	}
	err = db.write(ctx, func(tx *Tx) error {
		c, err := tx.target(ctx, e.PostID)
		if err != nil {
			refused = err
			return nil // not a post of ours with a headline: nothing to answer for
		}
		if !c.post.Local {
			err = Errorf(EForbidden, "This server does not decide on that post's headline.")
		}
		if err == nil {
			rev, err = tx.revise(ctx, c, e)
		}
		if ErrorCode(err) == EInternal {
			return err
		}
		author := c.post.AuthorID
		if err != nil {
			refused = err
			return tx.enqueue(ctx, EventRejectProposal, e.PostID, author,
				OutboxPayload{ObjectURI: offerURI, TargetActorID: e.EditorID, Reason: ErrorMessage(err)})
		}
		return tx.enqueue(ctx, EventAcceptProposal, e.PostID, author,
			OutboxPayload{ObjectURI: offerURI, TargetActorID: e.EditorID, ActivityURI: rev.URI})
	})
	return rev, refused, err
}

// rejectProposal answers a malformed proposal with a Reject.
func (db *DB) rejectProposal(ctx context.Context, e HeadlineEdit, offerURI string, why error) error {
	return db.write(ctx, func(tx *Tx) error {
		p, err := tx.postWhere(ctx, "p.id = ?", e.PostID)
		if err != nil || !p.Local {
			return nil // nothing of ours to answer for
		}
		return tx.enqueue(ctx, EventRejectProposal, p.ID, p.AuthorID,
			OutboxPayload{ObjectURI: offerURI, TargetActorID: e.EditorID, Reason: ErrorMessage(why)})
	})
}
