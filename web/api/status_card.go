package api

import (
	"net/url"
	"strconv"

	"github.com/tidings-social/tidings/storage"
)

// previewCard is Mastodon's PreviewCard: a news post's link, titled
// with its headline and described in its publisher's words.
type previewCard struct {
	URL          string     `json:"url"`
	Title        string     `json:"title"`
	Description  string     `json:"description"`
	Type         string     `json:"type"`
	Authors      []struct{} `json:"authors"`
	AuthorName   string     `json:"author_name"`
	AuthorURL    string     `json:"author_url"`
	ProviderName string     `json:"provider_name"`
	ProviderURL  string     `json:"provider_url"`
	HTML         string     `json:"html"`
	Width        int        `json:"width"`
	Height       int        `json:"height"`
	Image        *string    `json:"image"`
	EmbedURL     string     `json:"embed_url"`
	Blurhash     *string    `json:"blurhash"`
}

// card is the PreviewCard of a news post, nil for other posts.
func (a *API) card(p *storage.Post) *previewCard {
	if p.Kind != storage.KindNews || p.LinkURL == "" {
		return nil
	}
	c := &previewCard{URL: p.LinkURL, Title: p.Headline, Description: p.LinkDescription, Type: "link",
		Authors: []struct{}{}}
	if u, err := url.Parse(p.LinkURL); err == nil && u.Host != "" {
		c.ProviderName = u.Hostname()
		c.ProviderURL = u.Scheme + "://" + u.Host
	}
	return c
}

// mediaAttachment is Mastodon's MediaAttachment: here always an image.
type mediaAttachment struct {
	ID          string    `json:"id"`
	Type        string    `json:"type"`
	URL         string    `json:"url"`
	PreviewURL  string    `json:"preview_url"`
	RemoteURL   *string   `json:"remote_url"`
	Meta        mediaMeta `json:"meta"`
	Description *string   `json:"description"`
	Blurhash    *string   `json:"blurhash"`
}

// mediaMeta is a MediaAttachment's meta: the original's size when known.
type mediaMeta struct {
	Original *mediaSize `json:"original,omitempty"`
}

// mediaSize is the size of an image in pixels.
type mediaSize struct {
	Width  int     `json:"width"`
	Height int     `json:"height"`
	Size   string  `json:"size"`
	Aspect float64 `json:"aspect"`
}

// mediaAttachments are the post's images, each at its local address
// (uploads and the media cache serve them, never the remote server).
func (a *API) mediaAttachments(p *storage.Post) []mediaAttachment {
	out := []mediaAttachment{}
	for _, att := range p.Attachments {
		local := a.attachmentURL(p, att)
		m := mediaAttachment{ID: p.ID + "-" + strconv.Itoa(att.Position), Type: "image", URL: local, PreviewURL: local}
		if !p.Local {
			remote := att.URL
			m.RemoteURL = &remote
		}
		if att.Alt != "" {
			alt := att.Alt
			m.Description = &alt
		}
		if att.Width > 0 && att.Height > 0 {
			m.Meta.Original = &mediaSize{Width: att.Width, Height: att.Height,
				Size:   strconv.Itoa(att.Width) + "x" + strconv.Itoa(att.Height),
				Aspect: float64(att.Width) / float64(att.Height)}
		}
		out = append(out, m)
	}
	return out
}

// attachmentURL is the address the site shows an image of a post at.
func (a *API) attachmentURL(p *storage.Post, att storage.Attachment) string {
	return a.cfg.baseURL() + storage.MediaPath(storage.MediaAttachment, p.ID, att.Position, att.URL)
}
