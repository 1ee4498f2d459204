package main

import (
	"bytes"
	"encoding/json"
	"image"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// upload submits a file in the "image" field of a multipart form, with
// the CSRF token of the last page seen.
func (v *visitor) upload(path, filename string, data []byte) page {
	v.t.Helper()
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	form.WriteField("csrf", v.csrf)
	part, err := form.CreateFormFile("image", filename)
	if err != nil {
		v.t.Fatal(err)
	}
	part.Write(data)
	form.Close()
	req, err := http.NewRequest(http.MethodPost, v.base+path, &body)
	if err != nil {
		v.t.Fatal(err)
	}
	req.Header.Set("Content-Type", form.FormDataContentType())
	return v.do(req)
}

// actorImages reads the icon and image of a member's actor document.
func actorImages(t *testing.T, inst *instance, name string) (icon, header map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, inst.URL+"/users/"+name, nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Icon  map[string]any `json:"icon"`
		Image map[string]any `json:"image"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc.Icon, doc.Image
}

func TestAvatarAndHeaderUploads(t *testing.T) {
	inst := startInstance(t, func(c *Config) {
		c.Media.MaxUploadBytes = 256 << 10
		c.Media.MaxUploadSide = 2000
	})
	alice := member(t, inst, "alice")
	settings := alice.get("/settings/profile")
	wantBody(t, settings, `action="/settings/images/avatar" enctype="multipart/form-data"`, `action="/settings/images/header"`)
	if strings.Contains(settings.Body, `name="avatar_url"`) {
		t.Error("the profile form still asks for an avatar address")
	}

	// A camera's JPEG: its EXIF (name, place) must not survive.
	photo := withEXIF(encodeJPEG(t, testImage(640, 480, false, false)))
	if !bytes.Contains(photo, []byte("Exif")) {
		t.Fatal("the test photo carries no EXIF")
	}
	p := alice.upload("/settings/images/avatar", "me.jpg", photo)
	wantStatus(t, p, http.StatusSeeOther)
	icon, _ := actorImages(t, inst, "alice")
	iconURL, _ := icon["url"].(string)
	if icon["type"] != "Image" || icon["mediaType"] != "image/jpeg" || !strings.HasPrefix(iconURL, inst.URL+"/media/u/") {
		t.Fatalf("icon = %v, want an Image/image/jpeg uploaded here", icon)
	}
	resp, body := fetchMedia(t, alice, strings.TrimPrefix(iconURL, inst.URL))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("GET %s: %d %s", iconURL, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if bytes.Contains(body, []byte("Exif")) || bytes.Contains(body, []byte("SECRET-CAMERA")) {
		t.Error("the avatar served still carries the EXIF of the upload")
	}
	if cfg, format, err := image.DecodeConfig(bytes.NewReader(body)); err != nil || format != "jpeg" || cfg.Width != 400 || cfg.Height != 400 {
		t.Errorf("avatar = %s %dx%d (%v), want a 400x400 jpeg", format, cfg.Width, cfg.Height, err)
	}

	// A PNG with transparency stays a PNG, cropped to the header's size.
	p = alice.upload("/settings/images/header", "banner.png", encodePNG(t, testImage(900, 400, false, true)))
	wantStatus(t, p, http.StatusSeeOther)
	_, header := actorImages(t, inst, "alice")
	headerURL, _ := header["url"].(string)
	if header["type"] != "Image" || header["mediaType"] != "image/png" || !strings.HasPrefix(headerURL, inst.URL+"/media/u/") {
		t.Fatalf("image = %v, want an Image/image/png uploaded here", header)
	}
	_, body = fetchMedia(t, alice, strings.TrimPrefix(headerURL, inst.URL))
	if cfg, format, err := image.DecodeConfig(bytes.NewReader(body)); err != nil || format != "png" || cfg.Width != 1500 || cfg.Height != 500 {
		t.Errorf("header = %s %dx%d (%v), want a 1500x500 png", format, cfg.Width, cfg.Height, err)
	}
	profile := alice.get("/@alice")
	wantBody(t, profile, `class="profile-header-image"`)
	localImages(t, profile)

	// Bad uploads are refused with a reason, and change nothing.
	alice.get("/settings/profile")
	for _, tc := range []struct {
		name   string
		file   string
		data   []byte
		status int
		reason string
	}{
		{"a decompression bomb", "bomb.png", pngClaiming(t, 60000, 60000), http.StatusUnprocessableEntity, "60000×60000 pixels"},
		{"not an image", "notes.jpg", []byte("<html><body>hello</body></html>"), http.StatusUnsupportedMediaType, "not a JPEG, PNG, GIF or WebP"},
		{"an SVG", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), http.StatusUnsupportedMediaType, "not a JPEG, PNG, GIF or WebP"},
		{"too large a file", "big.png", encodePNG(t, testImage(400, 400, true, false)), http.StatusRequestEntityTooLarge, "too large"},
	} {
		p := alice.upload("/settings/images/avatar", tc.file, tc.data)
		if p.Status != tc.status || !strings.Contains(p.Body, tc.reason) {
			t.Errorf("%s: status = %d, want %d with %q; body:\n%s", tc.name, p.Status, tc.status, tc.reason, p.Body)
		}
		if got := actorOf(t, inst, "alice").IconURL; got != iconURL {
			t.Errorf("%s: avatar = %q, want it unchanged %q", tc.name, got, iconURL)
		}
		alice.get("/settings/profile")
	}

	// Removing the avatar removes its file.
	p = alice.post("/settings/images/avatar", map[string][]string{"remove": {"1"}})
	wantStatus(t, p, http.StatusSeeOther)
	if got := actorOf(t, inst, "alice").IconURL; got != "" {
		t.Errorf("avatar after removal = %q, want none", got)
	}
	if resp, _ := fetchMedia(t, alice, strings.TrimPrefix(iconURL, inst.URL)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET the removed avatar: %d, want 404", resp.StatusCode)
	}
}
