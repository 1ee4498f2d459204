package web

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestWordTokens(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"word", []string{"word"}},
		{"two words", []string{"two", " ", "words"}},
		{"  spaced  out ", []string{"  ", "spaced", "  ", "out", " "}},
		{"Café\u00a0crème, déjà-vu", []string{"Café", "\u00a0", "crème,", " ", "déjà-vu"}},
	} {
		if got := wordTokens(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("wordTokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := strings.Join(wordTokens(tt.in), ""); got != tt.in {
			t.Errorf("tokens of %q join to %q", tt.in, got)
		}
	}
}

func TestDiffWords(t *testing.T) {
	same := func(s string) diffPart { return diffPart{diffSame, s} }
	del := func(s string) diffPart { return diffPart{diffDeleted, s} }
	add := func(s string) diffPart { return diffPart{diffAdded, s} }
	for _, tt := range []struct {
		name     string
		old, new string
		want     []diffPart
	}{
		{"equal", "Miracle cure found", "Miracle cure found", []diffPart{same("Miracle cure found")}},
		{"one word replaced", "Miracle cure found", "Miracle treatment found",
			[]diffPart{same("Miracle "), del("cure"), add("treatment"), same(" found")}},
		{"words replaced in a row read as one change", "Miracle cure found", "Early trial shows modest effect",
			[]diffPart{del("Miracle cure found"), add("Early trial shows modest effect")}},
		{"a word added", "Bridge collapses", "Bridge partly collapses",
			[]diffPart{same("Bridge "), add("partly "), same("collapses")}},
		{"a word removed at the end", "Bridge collapses today", "Bridge collapses",
			[]diffPart{same("Bridge collapses"), del(" today")}},
		{"two changes apart", "The cat sat on the mat", "The dog sat on a mat",
			[]diffPart{same("The "), del("cat"), add("dog"), same(" sat on "), del("the"), add("a"), same(" mat")}},
		{"spaces shared at the edges of a change stay outside it", "Miracle cure found in coffee", "Coffee linked to lower risk in one study",
			[]diffPart{del("Miracle cure found"), add("Coffee linked to lower risk"), same(" in "), del("coffee"), add("one study")}},
		{"from nothing", "", "New headline", []diffPart{add("New headline")}},
		{"to nothing", "Old headline", "", []diffPart{del("Old headline")}},
		{"punctuation stays with its word", "Cure found!", "Cure found?",
			[]diffPart{same("Cure "), del("found!"), add("found?")}},
		{"case matters", "cure Found", "cure found", []diffPart{same("cure "), del("Found"), add("found")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := diffWords(tt.old, tt.new)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("diffWords(%q, %q) = %q, want %q", tt.old, tt.new, got, tt.want)
			}
			wantRebuilds(t, tt.old, tt.new, got)
		})
	}
}

// wantRebuilds checks that the diff holds both texts: the same and
// deleted parts give the old one, the same and added parts the new one.
func wantRebuilds(t *testing.T, old, new string, parts []diffPart) {
	t.Helper()
	var gotOld, gotNew strings.Builder
	for _, p := range parts {
		if p.Kind != diffAdded {
			gotOld.WriteString(p.Text)
		}
		if p.Kind != diffDeleted {
			gotNew.WriteString(p.Text)
		}
	}
	if gotOld.String() != old || gotNew.String() != new {
		t.Errorf("the diff of %q and %q gives back %q and %q", old, new, gotOld.String(), gotNew.String())
	}
}

func TestDiffWordsGivesBackBothTexts(t *testing.T) {
	texts := []string{
		"", "a", "a b", "b a", "a  b  c", " leading", "trailing ", "a b a b a",
		"Study: coffee may cut risk", "Study finds coffee cuts risk of everything",
		"Ünïcödé  wörds\tand\ttabs", "x y z x y z",
	}
	for _, old := range texts {
		for _, new := range texts {
			wantRebuilds(t, old, new, diffWords(old, new))
		}
	}
}

func TestDiffWordsOfLongTextsIsOneReplacement(t *testing.T) {
	long := strings.Repeat("word ", maxDiffTokens)
	got := diffWords(long, "short")
	want := []diffPart{{diffDeleted, long}, {diffAdded, "short"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("a diff of %d tokens has %d parts, want one replacement", 2*maxDiffTokens, len(got))
	}
}

func TestDiffTemplateEscapes(t *testing.T) {
	p, err := newPages()
	if err != nil {
		t.Fatal(err)
	}
	history, err := p.page("history")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	parts := diffWords(`Cure <b>found</b> & "tested"`, `Cure <script>alert(1)</script> & "tested"`)
	if err := history.ExecuteTemplate(&buf, "diff", parts); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	want := `Cure <del>&lt;b&gt;found&lt;/b&gt;</del><ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins> &amp; &#34;tested&#34;`
	if got != want {
		t.Errorf("rendered diff:\n got %s\nwant %s", got, want)
	}
}
