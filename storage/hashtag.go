package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxHashtagLength is the longest hashtag kept, in characters, as on
// Mastodon.
const MaxHashtagLength = 100

// maxPostHashtags bounds the hashtags kept of one post, so that another
// server cannot make one post fill the table.
const maxPostHashtags = 50

// hashtagPattern finds #tag in text: after the start or a character that
// cannot be in a word, a link or an entity (so a#b, /#anchor, x=#y,
// (a)#b and &#39; are none, as on Mastodon), then
// letters, digits and _.
var hashtagPattern = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_/&#)=])#([\p{L}\p{M}\p{N}_]+)`)

// NormalizeHashtag returns the tag as it is stored and linked: without
// its #, lower case. It is "" when s is no hashtag: one that is empty,
// too long, only digits and _ (#1 is a number), or holds other characters.
func NormalizeHashtag(s string) string {
	tag := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "#"))
	if tag == "" || utf8.RuneCountInString(tag) > MaxHashtagLength {
		return ""
	}
	letter := false
	for _, r := range tag {
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r) || r == '_':
		default:
			return ""
		}
	}
	if !letter {
		return ""
	}
	return tag
}

// HashtagsIn returns the distinct hashtags written in text, normalized,
// in order of first appearance.
func HashtagsIn(text string) []string {
	var tags []string
	for _, m := range hashtagPattern.FindAllStringSubmatch(text, -1) {
		tags = append(tags, m[1])
	}
	return normalizeHashtags(tags)
}

// normalizeHashtags normalizes tags, dropping those that are none and
// repeats, and keeps at most maxPostHashtags.
func normalizeHashtags(tags []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		tag := NormalizeHashtag(t)
		if tag == "" || seen[tag] {
			continue
		}
		seen[tag] = true
		out = append(out, tag)
		if len(out) == maxPostHashtags {
			break
		}
	}
	return out
}

// setPostTags makes the tags, normalized, the hashtags of the post.
func (tx *Tx) setPostTags(ctx context.Context, postID string, tags []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM post_tags WHERE post_id = ?`, postID); err != nil {
		return fmt.Errorf("clear hashtags of %s: %w", postID, err)
	}
	return tx.addPostTags(ctx, postID, tags)
}

// addPostTags gives a post that has none yet the tags, normalized, as
// its hashtags.
func (tx *Tx) addPostTags(ctx context.Context, postID string, tags []string) error {
	tags = normalizeHashtags(tags)
	if len(tags) == 0 {
		return nil
	}
	list, err := json.Marshal(tags)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO post_tags (post_id, tag)
		SELECT ?, value FROM json_each(?)`, postID, string(list)); err != nil {
		return fmt.Errorf("hashtags of %s: %w", postID, err)
	}
	return nil
}
