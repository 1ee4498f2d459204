package federation

import (
	"context"

	"github.com/tidings-social/tidings/storage"
)

// featuredURI is the collection of a member's pinned posts, as
// Mastodon's featured collection.
func featuredURI(a *storage.Actor) string { return a.URI + "/featured" }

// memberProfile reads what a member's Person document says of their
// profile besides the name: the bio's HTML, for summary, and the fields
// go-fed's vocabulary lacks, to add to extra: the bio's Markdown as
// source (as Misskey and Mastodon's API keep it, so that it can be
// edited again), the profile fields as schema.org PropertyValue
// attachments (as Mastodon's actor serializer), and featured.
func (f *Federator) memberProfile(ctx context.Context, a *storage.Actor, extra map[string]any) (string, error) {
	profile, err := f.db.ProfileOf(ctx, a.ID)
	if err != nil {
		return "", err
	}
	if profile.BioSource != "" {
		mediaType := "text/markdown"
		if !profile.BioMarkdown {
			mediaType = "text/plain"
		}
		extra["source"] = map[string]any{"content": profile.BioSource, "mediaType": mediaType}
	}
	attachments := []any{}
	for _, field := range profile.Fields {
		attachments = append(attachments, map[string]any{
			"type": "PropertyValue", "name": field.Name, "value": field.ValueHTML,
		})
	}
	if len(attachments) > 0 {
		extra["attachment"] = attachments
	}
	extra["featured"] = featuredURI(a)
	return profile.BioHTML, nil
}
