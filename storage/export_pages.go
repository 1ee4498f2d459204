package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"
)

// ExportPageSize is how many items one page of an export operation
// reads.
const ExportPageSize = 200

// ExportPost is a post or comment of the member, with the history of
// its headline.
type ExportPost struct {
	ID             string           `json:"id"`
	URI            string           `json:"uri"`
	Kind           string           `json:"kind"` // news, discussion, note or comment
	Headline       string           `json:"headline,omitempty"`
	LinkURL        string           `json:"link_url,omitempty"`
	Text           string           `json:"text"` // as written, in Markdown
	HTML           string           `json:"html"` // as shown
	Visibility     string           `json:"visibility"`
	Subwiki        string           `json:"subwiki,omitempty"`     // the subwiki's address
	InReplyTo      string           `json:"in_reply_to,omitempty"` // the address of what it answers
	ContentWarning string           `json:"content_warning,omitempty"`
	Published      time.Time        `json:"published"`
	Updated        *time.Time       `json:"updated,omitempty"`
	Likes          int              `json:"likes"`
	Images         []ExportImage    `json:"images"`
	Revisions      []ExportRevision `json:"headline_revisions"`
}

// ExportImage is an image of a post.
type ExportImage struct {
	URL       string `json:"url"`
	MediaType string `json:"media_type"`
	Alt       string `json:"alt,omitempty"`
}

// ExportRevision is one headline a post has had; revision 1 is the
// headline as first published.
type ExportRevision struct {
	Number    int       `json:"number"`
	Headline  string    `json:"headline"`
	Editor    string    `json:"editor,omitempty"` // the editor's address; "" when no longer known
	Reason    string    `json:"reason,omitempty"`
	SourceURL string    `json:"source_url,omitempty"`
	RevertsTo int       `json:"reverts_to,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportPosts returns a page of the member's posts and comments, oldest
// first, after the cursor ("" for the start), and the cursor of the next
// page ("" after the last).
func (db *DB) ExportPosts(ctx context.Context, memberID, after string) ([]*ExportPost, string, error) {
	var list []*ExportPost
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+postFields+`, coalesce(s.uri, '') FROM posts p
			LEFT JOIN actors s ON s.id = p.subwiki_id
			WHERE p.author_id = ? AND p.id > ? ORDER BY p.id LIMIT ?`, memberID, after, ExportPageSize)
		if err != nil {
			return fmt.Errorf("export posts: %w", err)
		}
		var posts []*Post
		var subwikis []string
		for rows.Next() {
			var subwiki string
			p, err := scanPost(rows, &subwiki)
			if err != nil {
				rows.Close()
				return fmt.Errorf("export posts: %w", err)
			}
			posts, subwikis = append(posts, p), append(subwikis, subwiki)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := tx.loadAttachments(ctx, posts); err != nil {
			return err
		}
		for i, p := range posts {
			e := exportPost(p, subwikis[i])
			if e.Revisions, err = tx.exportRevisionsOf(ctx, p.ID); err != nil {
				return err
			}
			list = append(list, e)
		}
		return nil
	})
	if err != nil || len(list) < ExportPageSize {
		return list, "", err
	}
	return list, list[len(list)-1].ID, nil
}

// exportPost is the archive's record of a post.
func exportPost(p *Post, subwiki string) *ExportPost {
	e := &ExportPost{ID: p.ID, URI: p.URI, Kind: p.Kind, Headline: p.Headline, LinkURL: p.LinkURL, Text: p.Source,
		HTML: p.Content, Visibility: p.Visibility, Subwiki: subwiki, InReplyTo: p.InReplyTo,
		ContentWarning: p.ContentWarning, Published: p.Published, Likes: p.LikeCount,
		Images: []ExportImage{}, Revisions: []ExportRevision{}}
	if !p.Updated.IsZero() {
		updated := p.Updated
		e.Updated = &updated
	}
	for _, a := range p.Attachments {
		e.Images = append(e.Images, ExportImage{URL: a.URL, MediaType: a.MediaType, Alt: a.Alt})
	}
	return e
}

// exportRevisionsOf lists the headline history of a post.
func (tx *Tx) exportRevisionsOf(ctx context.Context, postID string) ([]ExportRevision, error) {
	rows, err := tx.QueryContext(ctx, `SELECT r.number, r.headline, coalesce(a.uri, ''), r.reason, r.source_url, r.reverts_to, r.created_at
		FROM headline_revisions r LEFT JOIN actors a ON a.id = r.editor_id WHERE r.post_id = ? ORDER BY r.number`, postID)
	if err != nil {
		return nil, fmt.Errorf("export revisions: %w", err)
	}
	defer rows.Close()
	list := []ExportRevision{}
	for rows.Next() {
		var r ExportRevision
		var created int64
		if err := rows.Scan(&r.Number, &r.Headline, &r.Editor, &r.Reason, &r.SourceURL, &r.RevertsTo, &created); err != nil {
			return nil, fmt.Errorf("export revisions: %w", err)
		}
		r.CreatedAt = fromMillis(created)
		list = append(list, r)
	}
	return list, rows.Err()
}

// exportRows reads a page of a query whose first column is the page's
// cursor (an integer rowid, or a text id), scanning each row with scan,
// and returns the cursor after the page, "" after the last.
func (db *DB) exportRows(ctx context.Context, query string, args []any, scan func(rows *sql.Rows, cursor *string) error) (string, error) {
	n, next := 0, ""
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, query, append(args, ExportPageSize)...)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows, &next); err != nil {
				return fmt.Errorf("export: %w", err)
			}
			n++
		}
		return rows.Err()
	})
	if err != nil || n < ExportPageSize {
		return "", err
	}
	return next, nil
}

// rowidAfter reads a cursor of rowids; "" is the start.
func rowidAfter(after string) int64 {
	n, _ := strconv.ParseInt(after, 10, 64)
	return n
}
