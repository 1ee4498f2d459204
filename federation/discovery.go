package federation

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// jrd is a JSON Resource Descriptor (RFC 7033), WebFinger's answer.
type jrd struct {
	Subject string    `json:"subject"`
	Aliases []string  `json:"aliases,omitempty"`
	Links   []jrdLink `json:"links"`
}

type jrdLink struct {
	Rel      string `json:"rel"`
	Type     string `json:"type,omitempty"`
	Href     string `json:"href,omitempty"`
	Template string `json:"template,omitempty"`
}

// webfinger answers /.well-known/webfinger for members and the instance
// actor, by acct: handle or by actor or profile URL. The self link is the
// actor id, which Mastodon checks loops back.
func (f *Federator) webfinger(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	resource := r.URL.Query().Get("resource")
	if resource == "" {
		writeProblem(w, http.StatusBadRequest, "the resource parameter is missing")
		return
	}
	username, ok := f.localUsername(resource)
	if !ok {
		writeProblem(w, http.StatusNotFound, "no such account here")
		return
	}
	site := f.cfg.Site
	if username == site.Hostname() {
		inst, err := f.db.InstanceActor(r.Context())
		if err != nil {
			f.answer(w, r, nil, err)
			return
		}
		f.writeJRD(w, jrd{
			Subject: "acct:" + username + "@" + site.Domain,
			Aliases: []string{inst.URI},
			Links:   []jrdLink{{Rel: "self", Type: "application/activity+json", Href: inst.URI}},
		})
		return
	}
	if s, err := f.db.SubwikiByName(r.Context(), username); err == nil {
		f.writeJRD(w, jrd{
			Subject: "acct:" + username + "@" + site.Domain,
			Aliases: []string{site.SubwikiURI(s.Name)},
			Links: []jrdLink{
				{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: site.SubwikiURI(s.Name)},
				{Rel: "self", Type: "application/activity+json", Href: site.SubwikiURI(s.Name)},
			},
		})
		return
	}
	m, err := f.db.MemberByUsername(r.Context(), username)
	if err != nil || m.Status != storage.MemberActive {
		writeProblem(w, http.StatusNotFound, "no such account here")
		return
	}
	actor := site.ActorURI(username)
	f.writeJRD(w, jrd{
		Subject: "acct:" + username + "@" + site.Domain,
		Aliases: []string{site.ProfileURL(username), actor},
		Links: []jrdLink{
			{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: site.ProfileURL(username)},
			{Rel: "self", Type: "application/activity+json", Href: actor},
		},
	})
}

// localUsername finds the local name a WebFinger resource asks for:
// acct:name@domain (the acct: may be missing), or an actor or profile URL.
func (f *Federator) localUsername(resource string) (string, bool) {
	site := f.cfg.Site
	if strings.HasPrefix(resource, "https://") || strings.HasPrefix(resource, "http://") {
		switch {
		case resource == site.InstanceActorURI():
			return site.Hostname(), true
		case strings.HasPrefix(resource, site.ActorURI("")):
			return strings.TrimPrefix(resource, site.ActorURI("")), true
		case strings.HasPrefix(resource, site.ProfileURL("")):
			return strings.TrimPrefix(resource, site.ProfileURL("")), true
		case strings.HasPrefix(resource, site.SubwikiURI("")):
			return strings.TrimPrefix(resource, site.SubwikiURI("")), true
		}
		return "", false
	}
	acct := strings.TrimPrefix(resource, "acct:")
	name, domain, ok := strings.Cut(strings.TrimPrefix(acct, "@"), "@")
	if !ok || !strings.EqualFold(domain, site.Domain) || name == "" {
		return "", false
	}
	return strings.ToLower(name), true
}

func (f *Federator) writeJRD(w http.ResponseWriter, doc jrd) {
	body, _ := json.Marshal(doc)
	w.Header().Set("Cache-Control", "max-age=3600")
	writeJSON(w, "application/jrd+json; charset=utf-8", http.StatusOK, body)
}

// hostMeta answers /.well-known/host-meta: the XRD that points to
// WebFinger, which Mastodon reads when WebFinger itself answers 404.
func (f *Federator) hostMeta(w http.ResponseWriter, r *http.Request) {
	type link struct {
		Rel      string `xml:"rel,attr"`
		Type     string `xml:"type,attr"`
		Template string `xml:"template,attr"`
	}
	doc := struct {
		XMLName xml.Name `xml:"http://docs.oasis-open.org/ns/xri/xrd-1.0 XRD"`
		Link    link     `xml:"Link"`
	}{Link: link{Rel: "lrdd", Type: "application/xrd+xml",
		Template: f.cfg.Site.Base() + "/.well-known/webfinger?resource={uri}"}}
	body, _ := xml.Marshal(doc)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Content-Type", "application/xrd+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	w.Write(body)
}

const nodeInfoSchema = "http://nodeinfo.diaspora.software/ns/schema/2.1"

// nodeInfoLinks answers /.well-known/nodeinfo.
func (f *Federator) nodeInfoLinks(w http.ResponseWriter, r *http.Request) {
	body, _ := json.Marshal(map[string]any{"links": []jrdLink{
		{Rel: nodeInfoSchema, Href: f.cfg.Site.Base() + "/nodeinfo/2.1"},
	}})
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, "application/json", http.StatusOK, body)
}

// nodeInfo answers /nodeinfo/2.1 with real usage counts.
func (f *Federator) nodeInfo(w http.ResponseWriter, r *http.Request) {
	usage, err := f.db.InstanceUsage(r.Context())
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	mode := f.db.Registration
	doc := map[string]any{
		"version": "2.1",
		"software": map[string]any{
			"name": "tidings", "version": f.cfg.Version,
		},
		"protocols":         []string{"activitypub"},
		"services":          map[string]any{"inbound": []string{}, "outbound": []string{}},
		"openRegistrations": mode == storage.RegistrationOpen || mode == storage.RegistrationApproval || mode == storage.RegistrationWaitlist,
		"usage": map[string]any{
			"users": map[string]int{
				"total": usage.Members, "activeMonth": usage.ActiveMonth, "activeHalfyear": usage.ActiveHalfyear,
			},
			"localPosts": usage.LocalPosts,
		},
		"metadata": map[string]any{
			"nodeName":        f.cfg.InstanceName,
			"nodeDescription": f.cfg.Description,
		},
	}
	body, _ := json.Marshal(doc)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, `application/json; profile="`+nodeInfoSchema+`#"`, http.StatusOK, body)
}
