package api

import (
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gorilla/mux"
)

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
