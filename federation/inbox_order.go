package federation

// activityTypes are the types whose object is read through when working
// out what an activity is about in the end.
var activityTypes = map[string]bool{
	"Create": true, "Update": true, "Delete": true, "Follow": true, "Accept": true, "Reject": true,
	"Undo": true, "Like": true, "Dislike": true, "Announce": true, "Offer": true, "Lock": true,
	"Block": true, "Add": true, "Remove": true, "Flag": true, "Move": true, "EmojiReact": true,
}

// orderKey names what an inbound activity is about, so that the inbox
// handles activities about the same thing one after another, in the
// order they arrived: the innermost object it concerns, and who acts on
// it. Follow(P) and Undo(Follow(P)) are both bob's about P; Like(N),
// Undo(Like(N)), Create(N), Update(N) and Delete(N) bob's about N. What
// a group passes on is keyed by the group and the member inside, so
// that one member's failing activity holds up none of the others' in
// that group. It is read from the JSON as received; an activity whose
// object cannot be told gets "", which orders it after nothing.
func orderKey(raw map[string]any, actor string) string {
	object, inner := innermost(raw, 0)
	if object == "" || actor == "" {
		return ""
	}
	if inner != "" && inner != actor {
		return actor + " " + inner + " " + object
	}
	return actor + " " + object
}

// innermost follows an activity's object through embedded activities to
// the id of the thing at the end; it also returns the actor of the
// innermost activity embedded, if any.
func innermost(activity map[string]any, depth int) (object, actor string) {
	value := activity["object"]
	if list, ok := value.([]any); ok {
		if len(list) != 1 {
			return "", ""
		}
		value = list[0]
	}
	switch o := value.(type) {
	case string:
		return o, ""
	case map[string]any:
		typ, _ := o["type"].(string)
		if !activityTypes[typ] || o["object"] == nil || depth >= 4 {
			id, _ := o["id"].(string)
			return id, ""
		}
		object, actor = innermost(o, depth+1)
		if actor == "" {
			actor = actorID(o["actor"])
		}
		return object, actor
	}
	return "", ""
}

// actorID is the id of an actor given by id or embedded.
func actorID(v any) string {
	switch a := v.(type) {
	case string:
		return a
	case map[string]any:
		id, _ := a["id"].(string)
		return id
	}
	return ""
}
