package storage

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"strings"
)

// notMutedSQL is the condition that the member (an SQL expression) has
// not muted the actor (another): the filter of feeds and notifications.
// Blocks need no filter of their own: the visibility rule hides a post
// between blocker and blocked both ways.
func notMutedSQL(member, actor string) string {
	return `NOT EXISTS (SELECT 1 FROM mutes mu WHERE mu.member_id = ` + member + ` AND mu.target_id = ` + actor + `)`
}

// hides reports whether the member muted or blocked the actor, or the
// actor blocked the member: then the actor's doings do not notify them.
func (tx *Tx) hides(ctx context.Context, memberID, actorID string) (bool, error) {
	var hidden bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM mutes WHERE member_id = ?1 AND target_id = ?2)
		OR EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?1 AND blocked_id = ?2)
		OR EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?2 AND blocked_id = ?1)`, memberID, actorID).Scan(&hidden)
	if err != nil {
		return false, fmt.Errorf("find mute of %s: %w", actorID, err)
	}
	return hidden, nil
}

// mutedWordRounds bounds how many pages a feed reads to fill one page
// past posts with muted words, so that a word in every post cannot make
// a page read the whole feed; a short page then links on.
const mutedWordRounds = 20

// withoutMutedWords pages through a feed (fetch lists a page of it before
// a cursor) leaving out the posts with words the member muted, reading on
// until the page is full or the feed ends.
func (db *DB) withoutMutedWords(ctx context.Context, memberID, before string, limit int,
	fetch func(before string) (*FeedPage, error)) (*FeedPage, error) {
	var words []string
	if memberID != Stranger {
		if err := db.read(ctx, func(tx *Tx) (err error) {
			words, err = tx.mutedWords(ctx, memberID)
			return err
		}); err != nil {
			return nil, fmt.Errorf("muted words of %s: %w", memberID, err)
		}
	}
	if len(words) == 0 {
		return fetch(before)
	}
	muted := mutedWordsPattern(words)
	out := &FeedPage{}
	for range mutedWordRounds {
		page, err := fetch(before)
		if err != nil {
			return nil, err
		}
		for i, p := range page.Posts {
			if muted.MatchString(postWords(p)) {
				continue
			}
			out.Posts = append(out.Posts, p)
			if len(out.Posts) == limit {
				if i < len(page.Posts)-1 || page.Next != "" {
					out.Next = p.EntryID()
				}
				return out, nil
			}
		}
		if page.Next == "" {
			return out, nil
		}
		before, out.Next = page.Next, page.Next
	}
	return out, nil
}

// mutedWordsPattern matches any of the words as a whole word, in any case.
func mutedWordsPattern(words []string) *regexp.Regexp {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = strings.ReplaceAll(regexp.QuoteMeta(w), " ", `\s+`)
	}
	return regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}_])(?:` + strings.Join(quoted, "|") + `)(?:$|[^\p{L}\p{N}_])`)
}

// tagPattern finds the tags of a post's sanitized HTML.
var tagPattern = regexp.MustCompile(`<[^>]*>`)

// postWords is the text a muted word is looked for in: the headline and
// the text of the post, without its markup.
func postWords(p *Post) string {
	return p.Headline + "\n" + html.UnescapeString(tagPattern.ReplaceAllString(p.Content, " "))
}
