package federation

import "encoding/json"

// orderingKey names the object an outgoing activity is about, so that
// deliveries about one object reach a server in the order they were made
// (see storage.DB.ExpandOutbox): the post of a Create, Update, Delete,
// Like, Lock or Announce of it, the followed actor of a Follow, and the
// same through an Undo or a subwiki's Announce that embeds the activity.
// An Accept or Reject of a Follow is about that Follow alone, so that the
// answers to different followers do not wait for each other. It is "" for
// an activity it cannot read.
func orderingKey(activity []byte) string {
	var a struct {
		Type   string          `json:"type"`
		Object json.RawMessage `json:"object"`
	}
	if json.Unmarshal(activity, &a) != nil {
		return ""
	}
	return objectKey(a.Type, a.Object, 3)
}

// objectKey is the id of the object of an activity of type outer, given
// by id or embedded; for an embedded activity, what that activity is
// about, up to depth levels down.
func objectKey(outer string, raw json.RawMessage, depth int) string {
	var id string
	if json.Unmarshal(raw, &id) == nil {
		return id
	}
	var o struct {
		ID     string          `json:"id"`
		Type   string          `json:"type"`
		Object json.RawMessage `json:"object"`
	}
	if json.Unmarshal(raw, &o) != nil {
		return ""
	}
	if (outer == "Accept" || outer == "Reject") && o.Type == "Follow" {
		return o.ID
	}
	if embedsActivity[o.Type] && len(o.Object) > 0 && depth > 0 {
		return objectKey(o.Type, o.Object, depth-1)
	}
	return o.ID
}

// embedsActivity are the activity types this server sends embedded in
// another (Undo, Accept, Reject, a subwiki's Announce), whose own object
// is what the outer activity is about.
var embedsActivity = map[string]bool{
	"Create": true, "Update": true, "Delete": true, "Like": true, "Announce": true,
	"Follow": true, "Undo": true, "Accept": true, "Reject": true, "Lock": true, "Offer": true,
	"Block": true,
}
