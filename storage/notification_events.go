package storage

import (
	"context"
	"html"
	"regexp"
	"strings"
)

// The notices of events, each called by the one operation where the
// event happens, in its transaction.

// notifyRevision tells a post's author of a correction or revert of its
// headline; p is the post as revised.
func (tx *Tx) notifyRevision(ctx context.Context, p *Post, e HeadlineEdit) error {
	kind := NotifyCorrection
	if e.RevertTo > 0 {
		kind = NotifyRevert
	}
	return tx.notify(ctx, notice{memberID: p.AuthorID, kind: kind, actorID: e.EditorID, postID: p.ID,
		revision: p.Revision, subject: p.Headline, reason: e.Reason})
}

// notifyLock tells a post's author that a moderator locked its headline;
// an unlock tells nobody.
func (tx *Tx) notifyLock(ctx context.Context, p *Post, moderatorID, reason string, lock bool) error {
	if !lock {
		return nil
	}
	return tx.notify(ctx, notice{memberID: p.AuthorID, kind: NotifyLock, actorID: moderatorID, postID: p.ID,
		subject: p.Headline, reason: reason})
}

// notifyRemoval tells the author of a post a moderator removed, and why.
// The post is gone, so the notice keeps its id, kind and words.
func (tx *Tx) notifyRemoval(ctx context.Context, p *Post, moderatorID, reason string) error {
	return tx.notify(ctx, notice{memberID: p.AuthorID, kind: NotifyModeration, actorID: moderatorID,
		subjectID: p.ID, subjectKind: p.Kind, subject: openingWords(p), reason: reason})
}

// notifyFollow tells a member of a new follower, or of a request to
// follow them.
func (tx *Tx) notifyFollow(ctx context.Context, f *Follow) error {
	kind := NotifyFollow
	if f.State == FollowPending {
		kind = NotifyFollowRequest
	}
	return tx.notify(ctx, notice{memberID: f.FolloweeID, kind: kind, actorID: f.FollowerID})
}

// notifyReaction tells a post's author of a like or boost of it.
func (tx *Tx) notifyReaction(ctx context.Context, p *Post, actorID, reaction string) error {
	kind := NotifyLike
	if reaction == Announce {
		kind = NotifyBoost
	}
	return tx.notify(ctx, notice{memberID: p.AuthorID, kind: kind, actorID: actorID, postID: p.ID})
}

// notifyApproval tells a member their account was approved.
func (tx *Tx) notifyApproval(ctx context.Context, memberID string) error {
	return tx.notify(ctx, notice{memberID: memberID, kind: NotifyApproved})
}

// openingWordsLength bounds the words a notice keeps of a post without
// a headline.
const openingWordsLength = 80

// inlineTagPattern finds the tags inside a line of text, which part no
// words; other tags (paragraphs, breaks) do.
var inlineTagPattern = regexp.MustCompile(`(?i)</?(a|abbr|b|code|del|em|i|mark|s|small|span|strong|sub|sup|u)(\s[^>]*)?>`)

// openingWords is how a notice names a post: its headline, or else the
// first words of its text.
func openingWords(p *Post) string {
	if p.Headline != "" {
		return p.Headline
	}
	text := inlineTagPattern.ReplaceAllString(p.Content, "")
	text = strings.Join(strings.Fields(html.UnescapeString(tagPattern.ReplaceAllString(text, " "))), " ")
	if r := []rune(text); len(r) > openingWordsLength {
		return strings.TrimSpace(string(r[:openingWordsLength])) + "…"
	}
	return text
}
