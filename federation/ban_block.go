package federation

import (
	"context"
	"encoding/json"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// buildBan tells the banned account's server (when it knows groups), and
// through the subwiki's Announce its followers, that a moderator banned the account from the
// subwiki: a Block with the subwiki as target, as Lemmy sends it (with
// Mbin's "expires" beside Lemmy's "endTime"), or the Undo of that Block
// when the ban is lifted. go-fed's Block has no endTime, so the activity
// is written as JSON here.
func (f *Federator) buildBan(ctx context.Context, e *storage.OutboxEvent, moderator *storage.Actor) ([]byte, []string, error) {
	ban, err := f.db.BanByID(ctx, e.SubjectID)
	if err != nil {
		return nil, nil, err
	}
	// Only a server that knows groups reads the target; Mastodon and its
	// kind would take the Block for the moderator's own block of the
	// account, and learn of the ban only from the subwiki's Announce.
	var inboxes []string
	if inbox := ban.Account.DeliveryInbox(); !ban.Account.Local && f.groupAware(ctx, inbox) {
		inboxes = append(inboxes, inbox)
	}
	block := map[string]any{
		"id":       ban.ActivityURI,
		"type":     "Block",
		"actor":    moderator.URI,
		"object":   ban.Account.URI,
		"target":   ban.Subwiki.URI,
		"audience": ban.Subwiki.URI,
		"to":       []string{publicCollection},
		"cc":       []string{ban.Subwiki.URI},
	}
	if e.Kind == storage.EventUnbanSubwiki {
		// The Block undone keeps its own actor: the one who banned.
		if by, err := f.db.ActorByID(ctx, ban.BannedByID); err == nil && by.URI != "" {
			block["actor"] = by.URI
		}
	}
	if ban.Reason != "" {
		block["summary"] = ban.Reason
	}
	if !ban.Until.IsZero() {
		end := ban.Until.UTC().Format(time.RFC3339)
		block["endTime"], block["expires"] = end, end
	}
	activity := block
	if e.Kind == storage.EventUnbanSubwiki {
		activity = map[string]any{
			"id":       ban.ActivityURI + "#undo/" + e.ID,
			"type":     "Undo",
			"actor":    moderator.URI,
			"object":   block,
			"audience": ban.Subwiki.URI,
			"to":       []string{publicCollection},
			"cc":       []string{ban.Subwiki.URI},
		}
	}
	activity["@context"] = outgoingContext
	body, err := json.Marshal(activity)
	return body, inboxes, err
}
