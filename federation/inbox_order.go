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
// order they arrived: its actor and the innermost object it concerns.
// Follow(P) and Undo(Follow(P)) are both about P; Like(N), Undo(Like(N)),
// Create(N), Update(N), Delete(N) and Announce(Create(N)) about N. It
// is read from the JSON as received; an activity whose object cannot be
// told gets "", which orders it after nothing.
func orderKey(raw map[string]any, actor string) string {
	object := innermostObject(raw, 0)
	if object == "" || actor == "" {
		return ""
	}
	return actor + " " + object
}

// innermostObject follows an activity's object through embedded
// activities to the id of the thing at the end.
func innermostObject(activity map[string]any, depth int) string {
	object := activity["object"]
	if list, ok := object.([]any); ok {
		if len(list) != 1 {
			return ""
		}
		object = list[0]
	}
	switch o := object.(type) {
	case string:
		return o
	case map[string]any:
		typ, _ := o["type"].(string)
		if activityTypes[typ] && o["object"] != nil && depth < 4 {
			return innermostObject(o, depth+1)
		}
		id, _ := o["id"].(string)
		return id
	}
	return ""
}
