package storage

import (
	"strings"
	"unicode/utf8"
)

// MaxLinkDescriptionLength bounds the publisher's description kept with
// a news post: as much as a link preview reads (federation's
// previewDescMax), since the form carries it back in a hidden field
// that anyone can change.
const MaxLinkDescriptionLength = 500

// checkLinkDescription enforces what the description of a news post's
// link must be: one paragraph of at most MaxLinkDescriptionLength
// characters, or nothing. It is plain text, escaped wherever it is
// shown.
func checkLinkDescription(desc string) (string, error) {
	desc = strings.Join(strings.Fields(desc), " ")
	if utf8.RuneCountInString(desc) > MaxLinkDescriptionLength {
		return "", Errorf(EInvalid, "A link's description can be at most %d characters long.", MaxLinkDescriptionLength)
	}
	return desc, checkText("link description", desc, MaxLinkDescriptionLength, false)
}
