package api

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

func TestReadPage(t *testing.T) {
	tests := []struct {
		query string
		want  storage.IDPage
	}{
		{"", storage.IDPage{Limit: 20}},
		{"limit=5&max_id=B", storage.IDPage{MaxID: "B", Limit: 5}},
		{"limit=500&since_id=A&min_id=C", storage.IDPage{SinceID: "A", MinID: "C", Limit: 40}},
		{"limit=0", storage.IDPage{Limit: 20}},
	}
	for _, tt := range tests {
		p, err := readParams(httptest.NewRequest(http.MethodGet, "/api/v1/x?"+tt.query, nil))
		if err != nil {
			t.Fatal(err)
		}
		got, err := readPage(p, 40)
		if err != nil || got != tt.want {
			t.Errorf("readPage(%q) = %+v, %v; want %+v", tt.query, got, err, tt.want)
		}
	}
	p, _ := readParams(httptest.NewRequest(http.MethodGet, "/api/v1/x?limit=lots", nil))
	if _, err := readPage(p, 40); err == nil {
		t.Error("readPage(limit=lots) gave no error")
	}
}

func TestSetLinks(t *testing.T) {
	a := New(nil, nil, Config{Scheme: "https", Domain: "news.example"}, nil)
	tests := []struct {
		query, newest, oldest, want string
	}{
		{"limit=2&max_id=Z&local=true", "B", "A",
			`<https://news.example/api/v1/timelines/public?limit=2&local=true&max_id=A>; rel="next", ` +
				`<https://news.example/api/v1/timelines/public?limit=2&local=true&min_id=B>; rel="prev"`},
		{"types[]=mention", "C", "C",
			`<https://news.example/api/v1/timelines/public?max_id=C&types%5B%5D=mention>; rel="next", ` +
				`<https://news.example/api/v1/timelines/public?min_id=C&types%5B%5D=mention>; rel="prev"`},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		a.setLinks(rec, httptest.NewRequest(http.MethodGet, "/api/v1/timelines/public?"+tt.query, nil), tt.newest, tt.oldest)
		if got := rec.Header().Get("Link"); got != tt.want {
			t.Errorf("Link for %q = %s\nwant %s", tt.query, got, tt.want)
		}
	}
}
