package web

import "strings"

// scopeText is a scope and what it lets an app do, for the consent page
// and the list of authorized apps.
type scopeText struct {
	Scope string
	Text  string
}

// scopeTexts say what the broad scopes allow, in the member's terms.
var scopeTexts = map[string]string{
	"read":    "See everything in your account: your posts, feeds, notifications, follows, mutes and blocks.",
	"write":   "Change everything in your account: post, comment, like, edit your profile, follow, mute and block.",
	"follow":  "See and change whom you follow, mute and block.",
	"push":    "Send you notifications on your device.",
	"profile": "See your name and profile, nothing else.",
}

// scopeAreas name the parts of the account the granular scopes are about.
var scopeAreas = map[string]string{
	"accounts": "your profile and accounts", "blocks": "your blocks", "bookmarks": "your bookmarks",
	"favourites": "your likes", "filters": "your filters", "follows": "your follows", "lists": "your lists",
	"mutes": "your mutes", "notifications": "your notifications", "search": "search", "statuses": "posts",
	"conversations": "your conversations", "media": "uploads", "reports": "flags",
}

// describeScopes says what each scope allows.
func describeScopes(scopes []string) []scopeText {
	var list []scopeText
	for _, s := range scopes {
		list = append(list, scopeText{Scope: s, Text: describeScope(s)})
	}
	return list
}

func describeScope(s string) string {
	if text, ok := scopeTexts[s]; ok {
		return text
	}
	kind, area, _ := strings.Cut(s, ":")
	name := scopeAreas[area]
	switch {
	case kind == "admin":
		return "Administer this instance (not used by this server yet)."
	case name == "":
		return s
	case kind == "read":
		return "See " + name + "."
	}
	return "Change " + name + "."
}
