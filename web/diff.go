package web

import (
	"strings"
	"unicode"
)

// Kinds of the pieces of a word diff.
const (
	diffSame    = "same"
	diffDeleted = "deleted"
	diffAdded   = "added"
)

// diffPart is a run of text that both headlines share, or that only the
// old (deleted) or only the new one (added) has. Templates show it; it
// holds plain text, which they escape.
type diffPart struct {
	Kind string
	Text string
}

// maxDiffTokens bounds the table of the longest common subsequence.
// Headlines are at most a few hundred characters; longer texts are
// shown as wholly replaced rather than compared word by word.
const maxDiffTokens = 1000

// diffWords compares two headlines word by word: the longest common
// subsequence of their words and spaces is kept, the rest is deleted
// or added. A change to several words in a row is shown as one deletion
// followed by one insertion, not as alternating single words.
func diffWords(old, new string) []diffPart {
	a, b := wordTokens(old), wordTokens(new)
	if len(a) > maxDiffTokens || len(b) > maxDiffTokens {
		return joinParts([]diffPart{{diffDeleted, old}, {diffAdded, new}})
	}
	return joinParts(groupChanges(lcsDiff(a, b)))
}

// wordTokens splits text into runs of spaces and runs of anything else,
// which put together again give the text.
func wordTokens(s string) []string {
	var tokens []string
	start, space := 0, false
	for i, r := range s {
		isSpace := unicode.IsSpace(r)
		if i > start && isSpace != space {
			tokens = append(tokens, s[start:i])
			start = i
		}
		space = isSpace
	}
	if start < len(s) {
		tokens = append(tokens, s[start:])
	}
	return tokens
}

// lcsDiff returns one part per token: those of the longest common
// subsequence of a and b as the same, the others of a as deleted and of
// b as added, deletions before additions where both fall between the
// same common tokens.
func lcsDiff(a, b []string) []diffPart {
	// common[i][j] is the length of the longest common subsequence of
	// a[i:] and b[j:].
	common := make([][]int, len(a)+1)
	for i := range common {
		common[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				common[i][j] = common[i+1][j+1] + 1
			} else {
				common[i][j] = max(common[i+1][j], common[i][j+1])
			}
		}
	}
	parts := make([]diffPart, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			parts = append(parts, diffPart{diffSame, a[i]})
			i, j = i+1, j+1
		case common[i+1][j] >= common[i][j+1]:
			parts = append(parts, diffPart{diffDeleted, a[i]})
			i++
		default:
			parts = append(parts, diffPart{diffAdded, b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		parts = append(parts, diffPart{diffDeleted, a[i]})
	}
	for ; j < len(b); j++ {
		parts = append(parts, diffPart{diffAdded, b[j]})
	}
	return parts
}

// groupChanges turns each run of changed tokens into one deletion and
// one addition. A space the two headlines share between two changed
// words belongs to the change, so "old words" → "new words" reads as
// one replacement.
func groupChanges(parts []diffPart) []diffPart {
	var out []diffPart
	var deleted, added strings.Builder
	flush := func() {
		out = append(out, replacement(deleted.String(), added.String())...)
		deleted.Reset()
		added.Reset()
	}
	for i, p := range parts {
		switch {
		case p.Kind == diffDeleted:
			deleted.WriteString(p.Text)
		case p.Kind == diffAdded:
			added.WriteString(p.Text)
		case isSpace(p.Text) && (deleted.Len() > 0 || added.Len() > 0) && changedAfter(parts, i):
			deleted.WriteString(p.Text)
			added.WriteString(p.Text)
		default:
			flush()
			out = append(out, p)
		}
	}
	flush()
	return out
}

// replacement is a change of the words deleted into the words added.
// Spaces both start or end with stay outside the change, so that a
// struck-out or underlined space does not hang at its edge.
func replacement(deleted, added string) []diffPart {
	var lead, trail string
	if deleted != "" && added != "" {
		lead = sharedSpace(leadingSpace(deleted), leadingSpace(added))
		deleted, added = deleted[len(lead):], added[len(lead):]
	}
	if deleted != "" && added != "" {
		trail = sharedSpace(trailingSpace(deleted), trailingSpace(added))
		deleted, added = deleted[:len(deleted)-len(trail)], added[:len(added)-len(trail)]
	}
	return []diffPart{{diffSame, lead}, {diffDeleted, deleted}, {diffAdded, added}, {diffSame, trail}}
}

func leadingSpace(s string) string  { return s[:len(s)-len(strings.TrimLeftFunc(s, unicode.IsSpace))] }
func trailingSpace(s string) string { return s[len(strings.TrimRightFunc(s, unicode.IsSpace)):] }

// sharedSpace is the run of spaces when both are the same, else "".
func sharedSpace(a, b string) string {
	if a == b {
		return a
	}
	return ""
}

// changedAfter reports whether the part after i is a change.
func changedAfter(parts []diffPart, i int) bool {
	return i+1 < len(parts) && parts[i+1].Kind != diffSame
}

// isSpace reports whether a token is a run of spaces.
func isSpace(token string) bool {
	return strings.TrimFunc(token, unicode.IsSpace) == ""
}

// joinParts merges neighbours of the same kind and drops empty parts.
func joinParts(parts []diffPart) []diffPart {
	var out []diffPart
	for _, p := range parts {
		if p.Text == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Kind == p.Kind {
			out[n-1].Text += p.Text
			continue
		}
		out = append(out, p)
	}
	return out
}
