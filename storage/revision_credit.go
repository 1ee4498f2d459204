package storage

import (
	"context"
	"fmt"
)

// creditFor decides whom a headline revision another server reports is
// credited to. voucherID is the actor that vouched for it: the post's
// author, for the history its origin keeps, or the remote subwiki that
// decides on a post in it. A voucher speaks for accounts of its own
// server. A member here is credited only with a correction they proposed
// from here (a proposal of that headline for the post, not refused: the
// origin's Accept may come after its Update). An account on a third
// server is credited on the word of the post's origin, which took that
// account's proposal; a subwiki takes corrections from its own members
// only, so it is not believed about anyone else. Whoever is not believed
// gives way to the voucher, and so does a revision that names nobody.
func (tx *Tx) creditFor(ctx context.Context, p *Post, headline, editorID, voucherID string) (string, error) {
	if editorID == "" || editorID == voucherID {
		return voucherID, nil
	}
	editor, err := tx.actorWhere(ctx, "a.id = ?", editorID)
	if ErrorCode(err) == ENotFound {
		return voucherID, nil
	}
	if err != nil {
		return "", err
	}
	voucher, err := tx.actorWhere(ctx, "a.id = ?", voucherID)
	if err != nil {
		return "", err
	}
	switch {
	case editor.Local:
		var proposed bool
		err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM headline_proposals
			WHERE post_id = ? AND member_id = ? AND headline = ? AND state != ?)`,
			p.ID, editor.ID, headline, ProposalRejected).Scan(&proposed)
		if err != nil {
			return "", fmt.Errorf("proposals of %s: %w", p.URI, err)
		}
		if proposed {
			return editor.ID, nil
		}
	case sameHost(editor.URI, voucher.URI), voucherID == p.AuthorID:
		return editor.ID, nil
	}
	return voucherID, nil
}
