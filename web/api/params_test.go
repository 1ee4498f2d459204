package api

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

func TestReadParams(t *testing.T) {
	multipartBody := func() (string, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.WriteField("description", "a cat")
		mw.WriteField("focus", "0.1,0.2")
		fw, _ := mw.CreateFormFile("file", "cat.png")
		fw.Write([]byte("png bytes"))
		mw.Close()
		return mw.FormDataContentType(), b.String()
	}
	mpType, mpBody := multipartBody()
	tests := []struct {
		name        string
		query       string
		contentType string
		body        string
		want        map[string][]string // name → strings(name)
		wantString  map[string]string   // name → string(name)
		wantFile    string
	}{
		{name: "query only", query: "limit=5&types[]=mention&types[]=follow",
			want: map[string][]string{"types": {"mention", "follow"}}, wantString: map[string]string{"limit": "5"}},
		{name: "form arrays", contentType: "application/x-www-form-urlencoded",
			body: "status_ids[]=1&status_ids[]=2&comment=spam&poll[options][]=a&poll[options][]=b",
			want: map[string][]string{"status_ids": {"1", "2"}, "poll[options]": {"a", "b"}}, wantString: map[string]string{"comment": "spam"}},
		{name: "JSON nested", contentType: "application/json",
			body:       `{"status":"hi","sensitive":true,"poll":{"options":["a","b"],"expires_in":3600},"media_ids":["m1"],"in_reply_to_id":null}`,
			want:       map[string][]string{"poll[options]": {"a", "b"}, "media_ids": {"m1"}, "in_reply_to_id": nil},
			wantString: map[string]string{"status": "hi", "sensitive": "true", "poll[expires_in]": "3600"}},
		{name: "JSON array without brackets", contentType: "application/json; charset=utf-8", body: `{"status_ids":["1","2"]}`,
			want: map[string][]string{"status_ids": {"1", "2"}}},
		{name: "JSON array of objects", contentType: "application/json",
			body:       `{"fields_attributes":[{"name":"web","value":"x"},{"name":"mail","value":"y"}]}`,
			wantString: map[string]string{"fields_attributes[0][name]": "web", "fields_attributes[1][value]": "y"}},
		{name: "body wins over query", query: "scope=read", contentType: "application/json", body: `{"scope":"write"}`,
			wantString: map[string]string{"scope": "write"}},
		{name: "query and form merge", query: "category=spam", contentType: "application/x-www-form-urlencoded", body: "comment=bad",
			wantString: map[string]string{"category": "spam", "comment": "bad"}},
		{name: "multipart", contentType: mpType, body: mpBody,
			wantString: map[string]string{"description": "a cat", "focus": "0.1,0.2"}, wantFile: "cat.png"},
		{name: "repeated plain name", query: "id=1&id=2", want: map[string][]string{"id": {"1", "2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/api/v1/x?"+tt.query, strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			req, cleanup := withUploadCleanup(req)
			defer cleanup()
			p, err := readParams(req)
			if err != nil {
				t.Fatalf("readParams: %v", err)
			}
			for name, want := range tt.want {
				if got := p.strings(name); !slices.Equal(got, want) {
					t.Errorf("strings(%q) = %q, want %q", name, got, want)
				}
			}
			for name, want := range tt.wantString {
				if got := p.string(name); got != want {
					t.Errorf("string(%q) = %q, want %q", name, got, want)
				}
			}
			if tt.wantFile != "" {
				if f := p.file("file"); f == nil || f.Filename != tt.wantFile {
					t.Errorf("file(file) = %v, want %s", f, tt.wantFile)
				}
			}
		})
	}
}

func TestReadParamsRefusesMalformedBodies(t *testing.T) {
	tests := []struct {
		name, contentType, body string
		status                  int
	}{
		{"broken JSON", "application/json", `{"status":`, http.StatusBadRequest},
		{"JSON not an object", "application/json", `["a"]`, http.StatusBadRequest},
		{"JSON syntax", "application/json", `{status: 1}`, http.StatusBadRequest},
		{"broken form", "application/x-www-form-urlencoded", "a=%zz", http.StatusBadRequest},
		{"broken multipart", "multipart/form-data; boundary=x", "not multipart", http.StatusBadRequest},
		{"too large", "application/json", `{"a":"` + strings.Repeat("x", maxParamsBody) + `"}`, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/api/v1/x", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", tt.contentType)
			_, err := readParams(req)
			bad, ok := err.(*requestError)
			if !ok || bad.status != tt.status {
				t.Errorf("err = %v, want a requestError with status %d", err, tt.status)
			}
		})
	}
}

func TestParamsBooleanAndInteger(t *testing.T) {
	p := params{values: map[string][]string{"a": {"true"}, "b": {"0"}, "c": {"on"}, "d": {"maybe"}, "e": {""}, "n": {"40"}, "x": {"4x"}}}
	tests := []struct {
		name              string
		value, given, bad bool
	}{
		{"a", true, true, false}, {"b", false, true, false}, {"c", true, true, false},
		{"d", false, true, true}, {"e", false, false, false}, {"missing", false, false, false},
	}
	for _, tt := range tests {
		value, given, err := p.boolean(tt.name)
		if value != tt.value || given != tt.given || (err != nil) != tt.bad {
			t.Errorf("boolean(%q) = %v, %v, %v; want %v, %v, error %v", tt.name, value, given, err, tt.value, tt.given, tt.bad)
		}
	}
	if n, given, err := p.integer("n"); n != 40 || !given || err != nil {
		t.Errorf("integer(n) = %d, %v, %v; want 40, true, nil", n, given, err)
	}
	if _, given, err := p.integer("x"); !given || err == nil {
		t.Errorf("integer(x) = given %v, err %v; want an error", given, err)
	}
}

func TestBearerToken(t *testing.T) {
	tests := []struct {
		header, query, want string
	}{
		{"Bearer abc", "", "abc"},
		{"bearer abc", "", "abc"},
		{"Basic abc", "access_token=q", ""},
		{"", "access_token=q", "q"},
		{"", "", ""},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/streaming?"+tt.query, nil)
		if tt.header != "" {
			req.Header.Set("Authorization", tt.header)
		}
		if got := bearerToken(req); got != tt.want {
			t.Errorf("bearerToken(%q, %q) = %q, want %q", tt.header, tt.query, got, tt.want)
		}
	}
}
