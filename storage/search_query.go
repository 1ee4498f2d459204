package storage

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SearchQuery is what a reader searches for. Text is what they typed:
// words, each found as a whole word in a post's headline or text (a word
// ending in * finds the words it begins), and these terms, which the
// fields may also give:
//
//	#tag          posts with the hashtag (Tag)
//	in:name       posts in the subwiki (Subwiki)
//	from:@name    posts by the account (Author); name@server for one elsewhere
//
// Every word must be there; the order does not matter. Nothing the
// reader types is search syntax beyond these: quotes, colons, NEAR, AND,
// -, ^ are parts of words or nothing.
type SearchQuery struct {
	Text    string
	Subwiki string // a subwiki's name: "climate", or "name@server"
	Author  string // an account's handle: "alice", "@alice", or "bob@server"
	Tag     string // a hashtag, with or without its #
	Before  string // the last post of the previous page
	Limit   int
}

// Limits of a search, so that one query cannot cost much.
const (
	MaxSearchLength = 300 // characters of Text
	maxSearchWords  = 16
	// minPrefix is the fewest characters a word with * needs: a shorter
	// one begins thousands of words, each read from the index.
	minPrefix = 3
)

// searchTerms is a query made safe: the FTS5 expression of its words
// ("" when it has none) and its filters, as typed.
type searchTerms struct {
	match   string
	subwiki string
	author  string
	tag     string
}

// parse reads the query's text and fields. A query whose text holds no
// word, tag or filter, or too many words, is refused with a reason; so
// is one that names two subwikis, authors or tags.
func (q SearchQuery) parse() (searchTerms, error) {
	if utf8.RuneCountInString(q.Text) > MaxSearchLength {
		return searchTerms{}, Errorf(EInvalid, "Search for at most %d characters.", MaxSearchLength)
	}
	t := searchTerms{subwiki: strings.TrimSpace(q.Subwiki), author: strings.TrimSpace(q.Author),
		tag: strings.TrimSpace(q.Tag)}
	var words []string
	for _, field := range strings.Fields(q.Text) {
		lower := strings.ToLower(field)
		var err error
		switch {
		case strings.HasPrefix(lower, "in:") && len(field) > 3:
			err = setFilter(&t.subwiki, field[3:], "subwiki")
		case strings.HasPrefix(lower, "from:") && len(field) > 5:
			err = setFilter(&t.author, field[5:], "author")
		case strings.HasPrefix(field, "#") && NormalizeHashtag(field) != "":
			err = setFilter(&t.tag, field, "hashtag")
		default:
			w := ftsWord(field)
			if strings.HasSuffix(w, "*") && utf8.RuneCountInString(w) < len(`"`)+minPrefix+len(`"*`) {
				err = Errorf(EInvalid, "Give at least %d letters before a *.", minPrefix)
			} else if w != "" {
				words = append(words, w)
			}
		}
		if err != nil {
			return searchTerms{}, err
		}
	}
	if len(words) > maxSearchWords {
		return searchTerms{}, Errorf(EInvalid, "Search for at most %d words at once.", maxSearchWords)
	}
	t.match = strings.Join(words, " ")
	if t.tag != "" && NormalizeHashtag(t.tag) == "" {
		return searchTerms{}, Errorf(EInvalid, "%q is not a hashtag: use letters, digits and _.", t.tag)
	}
	t.tag = NormalizeHashtag(t.tag)
	if t.match == "" && t.tag == "" {
		return searchTerms{}, Errorf(EInvalid, "Search for a word or a #hashtag: letters or digits.")
	}
	return t, nil
}

// setFilter sets a filter the text names, refusing a second, different one.
func setFilter(filter *string, value, what string) error {
	if *filter != "" && !strings.EqualFold(strings.TrimPrefix(*filter, "@"), strings.TrimPrefix(value, "@")) &&
		NormalizeHashtag(*filter) != NormalizeHashtag(value) {
		return Errorf(EInvalid, "Search in one %s at a time.", what)
	}
	*filter = value
	return nil
}

// ftsWord is a word the reader typed as an FTS5 string: in double quotes
// (a quote inside doubled), so that nothing in it is syntax; the
// tokenizer splits it into the words it holds, found as a phrase. A
// trailing * (after at least one letter or digit) asks for the words it
// begins. It is "" when the word holds no letter or digit, which the
// index would never find. Control characters and invalid UTF-8 become
// spaces.
func ftsWord(field string) string {
	// A control character (NUL above all, which ends a C string) is
	// no part of a word.
	field = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, field)
	prefix := strings.HasSuffix(field, "*")
	field = strings.TrimRight(field, "*")
	if strings.IndexFunc(field, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) < 0 {
		return ""
	}
	w := `"` + strings.ReplaceAll(field, `"`, `""`) + `"`
	if prefix {
		w += "*"
	}
	return w
}
