package web

// The pages that have a news feed advertise it (render.go puts these in
// the page's head) and link to it (the "feed-link" partial).

// feedLinks names the instance's public timeline, for every visitor:
// a member's own home feed is theirs alone and has no news feed.
func (p homePage) feedLinks() []feedLink {
	return []feedLink{{Title: "Newest public posts", Href: "/feed.atom"}}
}

// feedLinks names the subwiki's feed.
func (p subwikiPage) feedLinks() []feedLink {
	return []feedLink{{Title: "Posts in s/" + p.Subwiki.Name, Href: "/s/" + p.Subwiki.Name + "/feed.atom"}}
}

// feedLinks names a member's feed; an account on another server has its
// feed, if any, there.
func (p profilePage) feedLinks() []feedLink {
	if p.Member == nil {
		return nil
	}
	return []feedLink{{Title: "Posts by @" + p.Member.Username, Href: "/@" + p.Member.Username + "/feed.atom"}}
}
