package federation

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"time"

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
	d, err := f.cachedDocument(r.Context(), "webfinger "+username, 0, func(ctx context.Context) ([]byte, int, error) {
		return f.renderJRD(ctx, username)
	})
	if storage.ErrorCode(err) == storage.ENotFound {
		writeProblem(w, http.StatusNotFound, "no such account here")
		return
	}
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	f.serveCached(w, r, d, "application/jrd+json; charset=utf-8")
}

// renderJRD renders the WebFinger answer for a local name: the instance
// actor, a subwiki or an active member.
func (f *Federator) renderJRD(ctx context.Context, username string) ([]byte, int, error) {
	site := f.cfg.Site
	if username == site.Hostname() {
		inst, err := f.db.InstanceActor(ctx)
		if err != nil {
			return nil, 0, err
		}
		return encodeJRD(jrd{
			Subject: "acct:" + username + "@" + site.Domain,
			Aliases: []string{inst.URI},
			Links:   []jrdLink{{Rel: "self", Type: "application/activity+json", Href: inst.URI}},
		})
	}
	if s, err := f.db.SubwikiByName(ctx, username); err == nil {
		return encodeJRD(jrd{
			Subject: "acct:" + username + "@" + site.Domain,
			Aliases: []string{site.SubwikiURI(s.Name)},
			Links: []jrdLink{
				{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: site.SubwikiURI(s.Name)},
				{Rel: "self", Type: "application/activity+json", Href: site.SubwikiURI(s.Name)},
			},
		})
	}
	m, err := f.db.MemberByUsername(ctx, username)
	if err != nil || m.Status != storage.MemberActive {
		return nil, 0, storage.Errorf(storage.ENotFound, "No such account here.")
	}
	actor := site.ActorURI(username)
	return encodeJRD(jrd{
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

func encodeJRD(doc jrd) ([]byte, int, error) {
	body, err := json.Marshal(doc)
	return body, webfingerMaxAge, err
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
	w.Header().Set("Access-Control-Allow-Origin", "*")
	d, err := f.cachedDocument(r.Context(), "nodeinfo index", 0, func(context.Context) ([]byte, int, error) {
		body, err := json.Marshal(map[string]any{"links": []jrdLink{
			{Rel: nodeInfoSchema, Href: f.cfg.Site.Base() + "/nodeinfo/2.1"},
		}})
		return body, nodeInfoMaxAge, err
	})
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	f.serveCached(w, r, d, "application/json")
}

// nodeInfoTTL ends a kept NodeInfo even when nothing was written: its
// counts of members active in the last month and half year move with
// time alone.
const nodeInfoTTL = time.Minute

// nodeInfo answers /nodeinfo/2.1 with real usage counts.
func (f *Federator) nodeInfo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	mode := f.db.Registration
	d, err := f.cachedDocument(r.Context(), "nodeinfo "+string(mode), nodeInfoTTL, func(ctx context.Context) ([]byte, int, error) {
		body, err := f.renderNodeInfo(ctx, mode)
		return body, nodeInfoMaxAge, err
	})
	if err != nil {
		f.answer(w, r, nil, err)
		return
	}
	f.serveCached(w, r, d, `application/json; profile="`+nodeInfoSchema+`#"`)
}

func (f *Federator) renderNodeInfo(ctx context.Context, mode storage.RegistrationMode) ([]byte, error) {
	usage, err := f.db.InstanceUsage(ctx)
	if err != nil {
		return nil, err
	}
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
	return json.Marshal(doc)
}
