package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// probeWorld is an instance with something of every kind to name: bob
// calls the API; alice and carol are others.
type probeWorld struct {
	ta                *testAPI
	alice, bob, carol *storage.Member
	token             string // bob's, with every scope
	// ids are things of every kind, by what they are, that a path's id
	// is set to.
	ids map[string]string
	// client gives up on an answer that hangs.
	client *http.Client
	// watched are other members whose reactions and follows the
	// snapshot holds too.
	watched []*storage.Member
	// secrets are what bob may not see: no answer of his may hold them.
	secrets []string
}

// newProbeWorld starts an API, with a rate limit no probe reaches, over
// members who posted, commented, boosted, liked and followed.
func newProbeWorld(t *testing.T) *probeWorld {
	t.Helper()
	ta := startStatusAPIWith(t, Config{RateLimit: 1 << 30})
	ctx := context.Background()
	w := &probeWorld{ta: ta, alice: ta.signedUpMember("alice"), bob: ta.signedUpMember("bob"),
		carol: ta.signedUpMember("carol"), client: &http.Client{Timeout: 20 * time.Second}}
	w.watched = []*storage.Member{w.carol}
	w.token = ta.tokenOf(w.bob, "read write follow push profile")
	climate, err := ta.db.CreateSubwiki(ctx, storage.SubwikiCreate{Name: "climate", Title: "Climate"}, w.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	post := ta.publish(w.alice, "Bridges need repair", climate.ID)
	own := ta.publish(w.bob, "Trains run late", "")
	comment, err := ta.db.Comment(ctx, storage.CommentCreate{AuthorID: w.alice.ID, ParentID: post.ID, Text: "Indeed"})
	if err != nil {
		t.Fatal(err)
	}
	remote := ta.remoteAccount("Person", "dora", "elsewhere.example", nil)
	hidden := ta.remoteNote(remote, "hidden", "followers")
	if err := ta.db.BoostPost(ctx, w.carol.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	boost, err := ta.db.MemberBoostEntry(ctx, w.carol.ID, post.ID)
	if err != nil {
		t.Fatal(err)
	}
	// erin blocks bob: neither her posts nor her boosts are his to see.
	erin := ta.signedUpMember("erin")
	erinsPost := ta.publish(erin, "Erin's own news", "")
	if err := ta.db.BoostPost(ctx, erin.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	erinsBoost, err := ta.db.MemberBoostEntry(ctx, erin.ID, post.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := ta.db.Block(ctx, erin.ID, w.bob.ID); err != nil {
		t.Fatal(err)
	}
	w.secrets = []string{hidden.Content, erinsPost.Headline, erinsBoost.Boost.ActivityURI}
	if err := ta.db.LikePost(ctx, w.alice.ID, own.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.db.Follow(ctx, w.carol.ID, w.bob.ID); err != nil {
		t.Fatal(err)
	}
	notices, err := ta.db.NotificationsPage(ctx, w.bob.ID, storage.NotificationFilter{Kinds: noticeKinds(nil, nil)}, storage.IDPage{Limit: 1})
	if err != nil || len(notices.Notifications) == 0 {
		t.Fatalf("bob's notifications: %v, %v", notices, err)
	}
	w.ids = map[string]string{
		"a post": post.ID, "one's own post": own.ID, "a comment": comment.ID, "a hidden post": hidden.ID,
		"a boost": boost.EntryID(), "a blocker's boost": erinsBoost.EntryID(), "a blocker's post": erinsPost.ID,
		"a blocker's account": erin.ID,
		"an account":          w.alice.ID, "a remote account": remote.ID,
		"a subwiki": climate.ID, "a notification": notices.Notifications[0].ID,
		"an unknown ULID": "01ARZ3NDEKTSV4RRFFQ69G5FAV", "a lowercase ULID": strings.ToLower(post.ID),
		"not a ULID": "12345", "unicode": "ünï😀‮", "a NUL": "a\x00b", "a long id": strings.Repeat("A", 10000),
		"a query": "x?y=1#z",
	}
	return w
}

// probeRoute is one path of the API, with its methods.
type probeRoute struct {
	template string
	methods  []string
}

// apiRoutes lists every route the API serves, read from its router, so
// that a route added later is probed too.
func apiRoutes(t *testing.T) []probeRoute {
	t.Helper()
	var routes []probeRoute
	a := New(nil, nil, Config{}, slog.New(slog.DiscardHandler))
	err := a.router().Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tpl, err := route.GetPathTemplate()
		if err != nil {
			return err
		}
		methods, err := route.GetMethods()
		if err != nil {
			return err
		}
		routes = append(routes, probeRoute{template: tpl, methods: methods})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(routes) < 50 {
		t.Fatalf("found %d routes, want every route of the API", len(routes))
	}
	return routes
}

// pathVariable is a variable of a path template, whose pattern may
// hold a count such as {26}.
var pathVariable = regexp.MustCompile(`\{([a-z]+)(?::((?:[^{}]|\{[0-9,]+\})*))?\}`)

// paths fills in a route's template: a variable that is one of a few
// words takes each; any other takes id, escaped for a path.
func (r probeRoute) paths(id string) []string {
	out := []string{""}
	rest := r.template
	for {
		loc := pathVariable.FindStringSubmatchIndex(rest)
		if loc == nil {
			break
		}
		literal, pattern := rest[:loc[0]], ""
		if loc[4] >= 0 {
			pattern = rest[loc[4]:loc[5]]
		}
		var values []string
		switch {
		case regexp.MustCompile(`^[a-z|]+$`).MatchString(pattern):
			values = strings.Split(pattern, "|")
		case pattern == ".+": // the streams
			values = []string{"user", "user/notification", "public", "public/local", "hashtag", "list", "direct", "nonsense", url.PathEscape(id)}
		default:
			values = []string{url.PathEscape(id)}
		}
		var next []string
		for _, o := range out {
			for _, v := range values {
				next = append(next, o+literal+v)
			}
		}
		out, rest = next, rest[loc[1]:]
	}
	for i := range out {
		out[i] += rest
	}
	return out
}

// probeParams are the names of the API's parameters: every variant of a
// request sends each of them.
var probeParams = []string{
	"status", "in_reply_to_id", "media_ids", "sensitive", "spoiler_text", "visibility", "language",
	"scheduled_at", "poll", "limit", "max_id", "min_id", "since_id", "offset", "local", "remote",
	"only_media", "exclude_replies", "exclude_reblogs", "pinned", "tagged", "q", "type", "resolve",
	"following", "account_id", "acct", "id", "types", "exclude_types", "comment", "status_ids",
	"rule_ids", "forward", "category", "description", "focus", "file", "thumbnail", "display_name",
	"note", "locked", "bot", "discoverable", "hide_collections", "fields_attributes", "source",
	"avatar", "header", "timeline", "home", "notifications", "client_name", "redirect_uris",
	"scopes", "website", "grant_type", "client_id", "client_secret", "redirect_uri", "code",
	"code_verifier", "refresh_token", "token", "scope", "stream", "tag", "list", "title",
	"replies_policy", "exclusive", "with_dismissed",
}

// probeRequest is one request of a probe, less its path and method.
type probeRequest struct {
	name        string
	query       string
	contentType string
	body        string
	headers     map[string]string
}

// eachParam is a JSON object giving every parameter the value.
func eachParam(value string) string {
	var b strings.Builder
	b.WriteString("{")
	for i, name := range probeParams {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%q:%s", name, value)
	}
	b.WriteString("}")
	return b.String()
}

// eachParamForm is a form or query giving every parameter each value.
func eachParamForm(values ...string) string {
	v := url.Values{}
	for _, name := range probeParams {
		for _, s := range values {
			v.Add(name, s)
			v.Add(name+"[]", s)
		}
	}
	return v.Encode()
}

// manyItems is a JSON array of n copies of s.
func manyItems(s string, n int) string {
	return "[" + strings.TrimSuffix(strings.Repeat(fmt.Sprintf("%q,", s), n), ",") + "]"
}

// badRequests are the variants of a request a careless or hostile app
// sends: every parameter absent, empty, of a wrong JSON type, huge or
// strange; duplicated; bodies that are not what they say.
func (w *probeWorld) badRequests() []probeRequest {
	const multipartType = "multipart/form-data; boundary=XYZ"
	postID := w.ids["a post"]
	deep := strings.Repeat(`{"a":`, 9000) + "1" + strings.Repeat("}", 9000)
	reqs := []probeRequest{
		{name: "nothing"},
		{name: "empty JSON", contentType: "application/json", body: "{}"},
		{name: "empty form", contentType: "application/x-www-form-urlencoded"},
		{name: "empty values", query: eachParamForm(""), contentType: "application/x-www-form-urlencoded", body: eachParamForm("")},
		{name: "numbers", contentType: "application/json", body: eachParam("-1")},
		{name: "huge numbers", contentType: "application/json", body: eachParam("1e12")},
		{name: "huger numbers", contentType: "application/json", body: eachParam("123456789012345678901234567890")},
		{name: "booleans", contentType: "application/json", body: eachParam("true")},
		{name: "nulls", contentType: "application/json", body: eachParam("null")},
		{name: "arrays", contentType: "application/json", body: eachParam(`["a", 1, null, [2], {"b": 3}]`)},
		{name: "objects", contentType: "application/json", body: eachParam(`{"x": {"y": 1}, "0": "z"}`)},
		{name: "numbers in the query", query: eachParamForm("-1", "1e12", "99999999999999999999")},
		{name: "unicode and NUL", contentType: "application/json", body: eachParam(`"\u0000ünï😀\u202e\ufffd\ud800"`)},
		{name: "unicode and NUL in a form", query: eachParamForm("\x00ü😀\u202e", "\xff\xfe"),
			contentType: "application/x-www-form-urlencoded", body: eachParamForm("\x00ü😀\u202e", "\xff\xfe")},
		{name: "long strings", contentType: "application/json", body: eachParam(fmt.Sprintf("%q", strings.Repeat("é", 5000)))},
		{name: "a megabyte of status", contentType: "application/x-www-form-urlencoded",
			body: "status=" + strings.Repeat("a", 1<<20-100)},
		{name: "too large a body", contentType: "application/json", body: `{"status":"` + strings.Repeat("a", 2<<20) + `"}`},
		{name: "duplicated keys", contentType: "application/json", body: `{"status":"a","status":{"x":1},"limit":"1","limit":"x","id":"1","id":[]}`},
		{name: "duplicated keys in a form", query: "limit=5&limit=x&max_id=&max_id=" + postID,
			contentType: "application/x-www-form-urlencoded", body: "status=a&status=&visibility=public&visibility=nope&sensitive=true&sensitive=maybe"},
		{name: "Rails keys", contentType: "application/x-www-form-urlencoded",
			body: "poll[options][]=a&fields_attributes[0][name]=x&fields_attributes[99999999999][value]=y&fields_attributes[-1][name]=z&home[last_read_id]=&notifications[last_read_id][]=x&source[privacy]=private"},
		{name: "JSON not an object", contentType: "application/json", body: `[1,2]`},
		{name: "JSON cut short", contentType: "application/json", body: `{"status":`},
		{name: "JSON and more", contentType: "application/json", body: `{"status":"a"} {"status":"b"}`},
		{name: "JSON deeply nested", contentType: "application/json", body: deep},
		{name: "JSON as text", contentType: "text/plain", body: `{"status":"Hello"}`},
		{name: "form as JSON", contentType: "application/json", body: "status=Hello"},
		{name: "JSON in UTF-16", contentType: "application/json; charset=utf-16", body: "\xff\xfe{\x00}\x00"},
		{name: "a broken Content-Type", contentType: ";;;=", body: "status=Hello"},
		{name: "multipart without a boundary", contentType: "multipart/form-data", body: "--XYZ\r\n"},
		{name: "multipart garbage", contentType: multipartType, body: "garbage"},
		{name: "multipart cut short", contentType: multipartType,
			body: "--XYZ\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\nHello"},
		{name: "multipart with files that are not images", contentType: multipartType, body: "--XYZ\r\n" +
			"Content-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nnot a png\r\n--XYZ\r\n" +
			"Content-Disposition: form-data; name=\"avatar\"; filename=\"../../a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n--XYZ\r\n" +
			"Content-Disposition: form-data; name=\"header\"; filename=\"\x00\"\r\n\r\n\r\n--XYZ\r\n" +
			"Content-Disposition: form-data; name=\"status\"\r\n\r\n\x00\r\n--XYZ--\r\n"},
	}
	hello := `{"status":"Hello from a probe","visibility":"public"}`
	// A good status with one bad parameter must be refused whole.
	for _, bad := range []string{`"visibility":"everyone"`, `"sensitive":"maybe"`, `"in_reply_to_id":"01ARZ3NDEKTSV4RRFFQ69G5FAV"`,
		`"media_ids":["01ARZ3NDEKTSV4RRFFQ69G5FAV"]`, `"poll":{"options":["a","b"],"expires_in":300}`,
		`"scheduled_at":"2099-01-01T00:00:00Z"`, `"spoiler_text":"` + strings.Repeat("w", 5000) + `"`,
		`"display_name":"` + strings.Repeat("n", 5000) + `"`, `"fields_attributes":[{"name":"` + strings.Repeat("f", 5000) + `"}]`} {
		reqs = append(reqs, probeRequest{name: "a good status but " + bad[:min(len(bad), 40)], contentType: "application/json",
			body: `{"status":"Hello from a probe",` + bad + `}`})
	}
	for _, h := range []struct {
		name    string
		headers map[string]string
	}{
		{"an Idempotency-Key too long", map[string]string{"Idempotency-Key": strings.Repeat("k", 10000)}},
		{"an Idempotency-Key not UTF-8", map[string]string{"Idempotency-Key": "\xff\xfe"}},
		{"a WebSocket offer without keys", map[string]string{"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Protocol": "x, y"}},
		{"a WebSocket offer of version 8", map[string]string{"Connection": "Upgrade", "Upgrade": "websocket",
			"Sec-WebSocket-Version": "8", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}},
	} {
		reqs = append(reqs, probeRequest{name: h.name, contentType: "application/json", body: hello, headers: h.headers})
	}
	for _, names := range [][]string{{"media_ids", "status_ids", "id"}, {"rule_ids", "types", "exclude_types", "timeline"}} {
		var fields []string
		for _, name := range names {
			fields = append(fields, fmt.Sprintf("%q: %s", name, manyItems(postID, 10000)))
		}
		reqs = append(reqs, probeRequest{name: "10,000 of " + strings.Join(names, ", "), contentType: "application/json",
			body: "{" + strings.Join(fields, ",") + "}"})
	}
	reqs = append(reqs, probeRequest{name: "10,000 id[] in the query",
		query: strings.TrimSuffix(strings.Repeat("id[]="+w.ids["an account"]+"&", 10000), "&")})
	for _, page := range []string{"limit=1000000000000", "limit=1e12", "limit=-5", "limit=0", "max_id=" + strings.Repeat("z", 3000),
		"since_id=%00", "min_id=" + postID + "&max_id=" + postID, "offset=-1", "offset=99999999999999999999"} {
		reqs = append(reqs, probeRequest{name: "paging " + page[:min(len(page), 40)], query: page})
	}
	return reqs
}

// snapshot is what is stored of the probed members and posts, and the
// deliveries waiting: a request refused must not change it.
func (w *probeWorld) snapshot(t *testing.T) string {
	t.Helper()
	posts := []string{w.ids["a post"], w.ids["one's own post"], w.ids["a comment"], w.ids["a hidden post"], w.ids["a blocker's post"]}
	return storedState(t, w.ta.db, w.bob, append([]*storage.Member{w.alice}, w.watched...), posts)
}

// storedState is what is stored of the caller (their profile, follows,
// flags, apps, mutes and blocks, notices, markers, pins, bookmarks), of
// others (their follows and unread notices), of the posts (their text,
// counts, and who of them liked and boosted each), and the count of
// posts and deliveries, as one string to compare. It reads what
// requests change with the cheapest reads that show it, since it is
// read after every request.
func storedState(t *testing.T, db *storage.DB, caller *storage.Member, others []*storage.Member, postIDs []string) string {
	t.Helper()
	ctx := context.Background()
	var parts []any
	add := func(v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("snapshot: %v", err)
		}
		parts = append(parts, v)
	}
	first := func(v any, _ string, err error) (any, error) { return v, err }
	if caller != nil {
		id := caller.ID
		add(db.ExportOfProfile(ctx, id))
		add(db.FollowRequestCount(ctx, id))
		add(first(db.ExportFlags(ctx, id, "")))
		add(db.ExportApps(ctx, id))
		add(db.Mutes(ctx, id))
		add(db.NotificationsPage(ctx, id, storage.NotificationFilter{Kinds: noticeKinds(nil, nil)}, storage.IDPage{Limit: 40}))
		add(db.Markers(ctx, id, []string{storage.MarkerHome, storage.MarkerNotifications}))
		add(db.PinnedPosts(ctx, id, id))
		add(db.BookmarksPage(ctx, id, storage.IDPage{Limit: 40}))
		others = append([]*storage.Member{caller}, others...)
	}
	for _, m := range others {
		followers, following, err := db.FollowCounts(ctx, m.ID)
		add([]int{followers, following}, err)
		add(db.UnreadNotifications(ctx, m.ID))
		add(db.LikedBy(ctx, m.ID, postIDs))
		add(db.BoostedBy(ctx, m.ID, postIDs))
	}
	for _, id := range postIDs {
		p, err := db.PostByID(ctx, id)
		if storage.ErrorCode(err) == storage.ENotFound {
			parts = append(parts, "gone")
			continue
		}
		add([]any{p.Headline, p.Source, p.Content, p.ContentWarning, p.Updated, p.LikeCount, p.AnnounceCount, p.CommentCount}, err)
	}
	add(db.CountLocalPosts(ctx))
	pending, delivered, dropped, err := db.DeliveryCounts(ctx)
	add([]int{pending, delivered, dropped}, err)
	b, err := json.Marshal(parts)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// send sends one probe and fails the test on an answer no app should
// ever get: a 5xx, a hang, a body that is not JSON, or a refusal that
// changed something. It returns the state after it. A request of a
// safe method (GET, HEAD, OPTIONS) changes nothing whatever its answer,
// which its caller checks once for many: it returns before then.
func (w *probeWorld) send(t *testing.T, method, path string, req probeRequest, token, before string) string {
	t.Helper()
	target := w.ta.URL + path
	if req.query != "" {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		target += sep + req.query
	}
	what := fmt.Sprintf("%s %s with %s", method, path[:min(len(path), 80)], req.name)
	hr, err := http.NewRequest(method, target, strings.NewReader(req.body))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if req.contentType != "" {
		hr.Header.Set("Content-Type", req.contentType)
	}
	if token != "" {
		hr.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range req.headers {
		hr.Header.Set(k, v)
	}
	resp, err := w.client.Do(hr)
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return w.after(t, method, before)
	}
	defer resp.Body.Close()
	ct := resp.Header.Get("Content-Type")
	if ct == "text/event-stream" { // a stream opened: its events are not this test's
		return w.after(t, method, before)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Errorf("%s: read the answer: %v", what, err)
	}
	switch {
	case resp.StatusCode >= 500:
		t.Errorf("%s: %d %s", what, resp.StatusCode, body[:min(len(body), 300)])
	case resp.StatusCode < 200 || (resp.StatusCode >= 300 && resp.StatusCode < 400):
		t.Errorf("%s: %d, want a 2xx or a 4xx", what, resp.StatusCode)
	case method == http.MethodOptions:
		if resp.StatusCode != http.StatusNoContent {
			t.Errorf("%s: %d, want the preflight's 204", what, resp.StatusCode)
		}
	case method == http.MethodHead:
	case path == "/api/v1/streaming/health":
	case ct != "application/json; charset=utf-8" || !json.Valid(body):
		t.Errorf("%s: %d %q %.200s, want JSON", what, resp.StatusCode, ct, body)
	}
	if resp.StatusCode < 300 {
		for _, secret := range w.secrets {
			sent := strings.Contains(path+req.query+req.body, secret) // an echo of it shows nothing
			if !sent && strings.Contains(string(body), secret) {
				t.Errorf("%s: the answer shows %q, which bob may not see", what, secret)
			}
		}
	}
	after := w.after(t, method, before)
	if resp.StatusCode >= 400 && after != before {
		t.Errorf("%s: answered %d %.200s, but changed what is stored", what, resp.StatusCode, body)
	}
	return after
}

// after is the state after a request of the method: before, for a safe
// method, else a new snapshot.
func (w *probeWorld) after(t *testing.T, method, before string) string {
	t.Helper()
	if safeMethod(method) {
		return before
	}
	return w.snapshot(t)
}

func safeMethod(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// TestProbeEveryRoute sends every route of the API what a careless or
// hostile app sends: ids of every kind and of none, parameters of every
// wrong shape, bodies that are not what they say, and methods it does
// not take. Every answer must be JSON with a 2xx or a 4xx, and a 4xx
// must change nothing.
func TestProbeEveryRoute(t *testing.T) {
	w := newProbeWorld(t)
	routes := apiRoutes(t)
	// Destructive methods go last, so that what they remove is probed
	// first.
	sort.SliceStable(routes, func(i, j int) bool {
		return !destructive(routes[i]) && destructive(routes[j])
	})
	idKinds := make([]string, 0, len(w.ids))
	for kind := range w.ids {
		idKinds = append(idKinds, kind)
	}
	sort.Strings(idKinds)
	state := w.snapshot(t)
	bad := w.badRequests()
	for _, route := range routes {
		for _, method := range append(route.methods, http.MethodHead, http.MethodOptions, http.MethodPatch, "PROPFIND") {
			before := state
			if slices.Contains(route.methods, method) {
				state = w.probeRoute(t, route, method, bad, idKinds, state)
			} else {
				state = w.send(t, method, route.paths(w.ids["a post"])[0], probeRequest{name: "an unexpected method"}, w.token, state)
			}
			if safeMethod(method) && w.snapshot(t) != before {
				t.Errorf("%s %s changed what is stored", method, route.template)
			}
		}
	}
}

// idParams are the parameters that take an id.
var idParams = []string{"in_reply_to_id", "max_id", "min_id", "since_id", "account_id", "list", "id[]",
	"media_ids[]", "status_ids[]", "account_ids[]", "home[last_read_id]", "notifications[last_read_id]"}

// idRequest is a request giving every parameter that takes an id the
// id of kind, with a status to post.
func (w *probeWorld) idRequest(kind string) probeRequest {
	v := url.Values{}
	for _, name := range idParams {
		v.Set(name, w.ids[kind])
	}
	query := v.Encode()
	v.Set("status", "A reply from a probe")
	return probeRequest{name: "the id of " + kind, query: query, contentType: "application/x-www-form-urlencoded", body: v.Encode()}
}

// probeRoute sends the route every bad request with the method.
func (w *probeWorld) probeRoute(t *testing.T, route probeRoute, method string, bad []probeRequest, idKinds []string, state string) string {
	t.Helper()
	paths := route.paths(w.ids["a post"])
	// Every variant of a request, on the path of a real post; a GET's
	// body is not read, so only the query varies there.
	for _, req := range bad {
		if req.query != "" || req.body == "" || !safeMethod(method) {
			state = w.send(t, method, paths[0], req, w.token, state)
		}
	}
	state = w.send(t, method, paths[0], probeRequest{name: "no token"}, "", state)
	state = w.send(t, method, paths[0], probeRequest{name: "a forged token"}, "forged", state)
	// Every kind of id, and what is no id, in the path and in every
	// parameter that takes an id.
	for _, kind := range idKinds {
		req := w.idRequest(kind)
		for _, path := range route.paths(w.ids[kind]) {
			state = w.send(t, method, path, req, w.token, state)
		}
	}
	return state
}

// destructive reports whether the route removes what later probes name.
func destructive(r probeRoute) bool {
	for _, m := range r.methods {
		if m == http.MethodDelete {
			return true
		}
	}
	return strings.Contains(r.template, "block") || strings.Contains(r.template, "mute") ||
		strings.Contains(r.template, "unfollow") || strings.Contains(r.template, "clear") ||
		strings.Contains(r.template, "dismiss") || strings.Contains(r.template, "revoke")
}
