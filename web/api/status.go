package api

import (
	"context"
	"html"
	"regexp"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// status is Mastodon's Status entity (entities/Status.md). Every field
// Mastodon documents is sent, containers as [] and absent values as
// null, because Tusky and Ice Cubes refuse a status missing any.
type status struct {
	ID                 string            `json:"id"`
	URI                string            `json:"uri"`
	URL                string            `json:"url"`
	CreatedAt          string            `json:"created_at"`
	EditedAt           *string           `json:"edited_at"`
	Account            account           `json:"account"`
	Content            string            `json:"content"`
	Text               *string           `json:"text,omitempty"` // only in the answer to a deletion
	Visibility         string            `json:"visibility"`
	Sensitive          bool              `json:"sensitive"`
	SpoilerText        string            `json:"spoiler_text"`
	MediaAttachments   []mediaAttachment `json:"media_attachments"`
	Mentions           []statusMention   `json:"mentions"`
	Tags               []statusTag       `json:"tags"`
	Emojis             []struct{}        `json:"emojis"`
	ReblogsCount       int               `json:"reblogs_count"`
	FavouritesCount    int               `json:"favourites_count"`
	RepliesCount       int               `json:"replies_count"`
	InReplyToID        *string           `json:"in_reply_to_id"`
	InReplyToAccountID *string           `json:"in_reply_to_account_id"`
	Reblog             *status           `json:"reblog"`
	Poll               *struct{}         `json:"poll"`
	Card               *previewCard      `json:"card"`
	Language           *string           `json:"language"`
	Favourited         bool              `json:"favourited"`
	Reblogged          bool              `json:"reblogged"`
	Muted              bool              `json:"muted"`
	Bookmarked         bool              `json:"bookmarked"`
	Pinned             bool              `json:"pinned"`
	Filtered           []struct{}        `json:"filtered"`
}

// statusMention is Mastodon's Status::Mention: whom a status names.
type statusMention struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Acct     string `json:"acct"`
	URL      string `json:"url"`
}

// statusTag is Mastodon's Status::Tag.
type statusTag struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// mastodonVisibility names a post's visibility as Mastodon does; its
// followers-only is "private".
func mastodonVisibility(v string) string {
	switch v {
	case storage.Public, storage.Unlisted, storage.Direct:
		return v
	}
	return "private"
}

// statusContent is what a status shows: a post with a headline (news
// and discussions) starts with the headline as its own paragraph, a
// link to the post, so that apps which show no card still show the
// headline; the text follows.
func statusContent(p *storage.Post) string {
	if p.Headline == "" || headlineOpens(p) {
		return p.Content
	}
	return `<p><a href="` + html.EscapeString(p.URL) + `">` + html.EscapeString(p.Headline) + `</a></p>` + p.Content
}

// htmlTags are the tags of sanitized HTML, for reading its text.
var htmlTags = regexp.MustCompile(`<[^>]*>`)

// headlineOpens reports whether a discussion's text starts with its
// headline, as one made from a status or a Mastodon note does: the
// headline is not shown twice then.
func headlineOpens(p *storage.Post) bool {
	text := strings.TrimSpace(html.UnescapeString(htmlTags.ReplaceAllString(p.Content, " ")))
	text = leadingHandles.ReplaceAllString(strings.Join(strings.Fields(text), " "), "")
	return p.Kind == storage.KindDiscussion && strings.HasPrefix(text, strings.TrimSuffix(p.Headline, "…"))
}

// statuses builds the Status entities of posts for the viewer ("" for
// a stranger). The posts must come from a listing operation or
// VisiblePost, which fill in their authors and subwikis; a boost entry
// (Post.Boost set) becomes a reblog status.
func (a *API) statuses(ctx context.Context, viewerID string, posts []*storage.Post) ([]status, error) {
	out := make([]status, 0, len(posts))
	if len(posts) == 0 {
		return out, nil
	}
	facts, err := a.db.FactsOf(ctx, viewerID, posts)
	if err != nil {
		return nil, err
	}
	// The authors' accounts, then the boosters' of the boost entries.
	actors := make([]*storage.Actor, len(posts), 2*len(posts))
	for i, p := range posts {
		actors[i] = p.Author
	}
	for _, p := range posts {
		if p.Boost != nil {
			actors = append(actors, p.Boost.Booster)
		}
	}
	accounts, err := a.accountEntities(ctx, actors)
	if err != nil {
		return nil, err
	}
	boosters := accounts[len(posts):]
	for i, p := range posts {
		s := a.statusOf(p, accounts[i], facts)
		if p.Boost != nil {
			s, boosters = reblogOf(p.Boost, boosters[0], s), boosters[1:]
		}
		out = append(out, s)
	}
	return out, nil
}

// status builds the one Status entity of a post, for the viewer.
func (a *API) status(ctx context.Context, viewerID string, p *storage.Post) (status, error) {
	list, err := a.statuses(ctx, viewerID, []*storage.Post{p})
	if err != nil {
		return status{}, err
	}
	return list[0], nil
}

// statusOf builds a post's Status from its author's Account and the
// facts read for the viewer.
func (a *API) statusOf(p *storage.Post, author account, facts *storage.PostFacts) status {
	s := status{
		ID: p.ID, URI: p.URI, URL: p.URL, CreatedAt: apiTime(p.Published), Account: author,
		Content: statusContent(p), Visibility: mastodonVisibility(p.Visibility),
		Sensitive: p.Sensitive || p.ContentWarning != "", SpoilerText: p.ContentWarning,
		MediaAttachments: a.mediaAttachments(p), Mentions: a.mentions(p, facts.Mentioned[p.ID]),
		Tags: a.tags(facts.Tags[p.ID]), Emojis: []struct{}{}, Filtered: []struct{}{},
		ReblogsCount: p.AnnounceCount, FavouritesCount: p.LikeCount, RepliesCount: p.CommentCount,
		Card: a.card(p), Favourited: facts.Liked[p.ID], Pinned: facts.Pinned[p.ID],
		Bookmarked: facts.Bookmarked[p.ID], Reblogged: facts.Boosted[p.ID],
	}
	if s.URL == "" {
		s.URL = p.URI
	}
	if !p.Updated.IsZero() {
		edited := apiTime(p.Updated)
		s.EditedAt = &edited
	}
	if p.ParentID != "" {
		parent := p.ParentID
		s.InReplyToID = &parent
		if author, ok := facts.ParentAuthors[p.ID]; ok {
			s.InReplyToAccountID = &author
		}
	}
	return s
}

// mentions are the members a post names and the subwiki it was posted
// in: Mastodon shows a post into a group as one that mentions the group.
func (a *API) mentions(p *storage.Post, named []*storage.Actor) []statusMention {
	out := []statusMention{}
	if p.Subwiki != nil {
		named = append([]*storage.Actor{p.Subwiki}, named...)
	}
	for _, m := range named {
		acct := m.Username
		if !m.Local {
			acct += "@" + m.Host
		}
		link := m.URL
		if link == "" {
			link = m.URI
		}
		out = append(out, statusMention{ID: m.ID, Username: m.Username, Acct: acct, URL: link})
	}
	return out
}

// tags are a post's hashtags, each linking to its page here.
func (a *API) tags(names []string) []statusTag {
	out := []statusTag{}
	for _, name := range names {
		out = append(out, statusTag{Name: name, URL: a.db.Site.TagBase() + name})
	}
	return out
}
