package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tidings-social/tidings/web"
)

// formFile is a file sent in a multipart form field.
type formFile struct {
	name string
	data []byte
}

// postMultipart submits a multipart form, as a browser sends one with
// file inputs, with the CSRF token of the last page seen.
func (v *visitor) postMultipart(path string, fields map[string]string, files map[string]formFile) page {
	v.t.Helper()
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	form.WriteField("csrf", v.csrf)
	for k, val := range fields {
		form.WriteField(k, val)
	}
	for field, f := range files {
		part, err := form.CreateFormFile(field, f.name)
		if err != nil {
			v.t.Fatal(err)
		}
		part.Write(f.data)
	}
	form.Close()
	req, err := http.NewRequest(http.MethodPost, v.base+path, &body)
	if err != nil {
		v.t.Fatal(err)
	}
	req.Header.Set("Content-Type", form.FormDataContentType())
	return v.do(req)
}

// uploadsOn lists the files in the instance's uploads directory.
func uploadsOn(t *testing.T, inst *instance) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(inst.Config.mediaDir(), "uploads"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

var attachmentSrc = regexp.MustCompile(`<img src="(/media/attachment/[^"]+)" alt="([^"]*)"`)

// attachmentsOn lists the images of posts on a page: their local
// address and alt text.
func attachmentsOn(t *testing.T, p page) [][2]string {
	t.Helper()
	localImages(t, p)
	var out [][2]string
	for _, m := range attachmentSrc.FindAllStringSubmatch(p.Body, -1) {
		out = append(out, [2]string{m[1], m[2]})
	}
	return out
}

func TestPostImagesUploadedShownAndFederated(t *testing.T) {
	a := startInstance(t, federating)
	b := startInstance(t, federating)
	alice := member(t, a, "alice")
	bob := member(t, b, "bob")
	followRemote(t, bob, "@alice@"+a.Config.Server.Domain)
	waitFor(t, "bob following alice", 10*time.Second, func() bool { return followersOf(t, a, "alice") == 1 })

	compose := alice.get("/compose")
	wantBody(t, compose, `enctype="multipart/form-data"`, `name="image0"`, `name="alt0"`, `name="image3"`)
	photo := withEXIF(encodeJPEG(t, testImage(640, 480, false, false)))
	p := alice.postMultipart("/compose", map[string]string{
		"kind": "news", "link": "https://news.example/harbour", "headline": "The harbour reopens",
		"text": "Pictures from this morning.", "action": "publish",
		"alt0": "Fishing boats at dawn", "alt1": "left empty", "alt2": "A tide chart",
	}, map[string]formFile{
		"image0": {"boats.jpg", photo},
		"image2": {"chart.png", encodePNG(t, testImage(300, 200, false, true))},
	})
	wantStatus(t, p, http.StatusSeeOther)
	post := latestPost(t, a, "alice")
	if got := len(uploadsOn(t, a)); got != 2 {
		t.Errorf("uploads kept = %d, want 2", got)
	}

	// Shown on the post's page and in the feed, from here, with alt text.
	for _, path := range []string{"/posts/" + post.ID, "/"} {
		shown := attachmentsOn(t, alice.get(path))
		if len(shown) != 2 || shown[0][1] != "Fishing boats at dawn" || shown[1][1] != "A tide chart" {
			t.Fatalf("%s: images = %v, want the photo and the chart with their descriptions", path, shown)
		}
	}
	postPage := alice.get("/posts/" + post.ID)
	wantBody(t, postPage, `alt="Fishing boats at dawn" width="640" height="480"`)
	shown := attachmentsOn(t, postPage)
	resp, served := fetchMedia(t, newVisitor(t, a), shown[0][0])
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("GET %s: %d %s", shown[0][0], resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if bytes.Contains(served, []byte("Exif")) || bytes.Contains(served, []byte("SECRET-CAMERA")) {
		t.Error("the image served still carries the EXIF of the upload")
	}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(served)); err != nil || cfg.Width != 640 || cfg.Height != 480 {
		t.Errorf("image = %dx%d (%v), want 640x480, not scaled up", cfg.Width, cfg.Height, err)
	}
	_, chart := fetchMedia(t, alice, shown[1][0])
	if _, format, _ := image.DecodeConfig(bytes.NewReader(chart)); format != "png" {
		t.Errorf("the chart with transparency is a %s, want png", format)
	}

	// The post's own document lists them, as its Create did.
	var object struct {
		Attachment []map[string]any `json:"attachment"`
	}
	req, _ := http.NewRequest(http.MethodGet, post.URI, nil)
	req.Header.Set("Accept", "application/activity+json")
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else {
		json.NewDecoder(resp.Body).Decode(&object)
		resp.Body.Close()
	}
	if len(object.Attachment) != 3 || object.Attachment[1]["type"] != "Document" || object.Attachment[1]["name"] != "Fishing boats at dawn" {
		t.Errorf("attachment of %s = %v, want the Link and two Documents", post.URI, object.Attachment)
	}

	// On B, with its image and alt text, through B's cache.
	waitFor(t, "the post in bob's feed", 10*time.Second, func() bool {
		return strings.Contains(bob.get("/").Body, "The harbour reopens")
	})
	remote, err := b.DB.PostByURI(context.Background(), post.URI)
	if err != nil {
		t.Fatal(err)
	}
	page := bob.get("/posts/" + remote.ID)
	if strings.Contains(page.Body, a.URL+"/media/") {
		t.Error("B's page points at A's images")
	}
	onB := attachmentsOn(t, page)
	if len(onB) != 2 || onB[0][1] != "Fishing boats at dawn" || !strings.HasPrefix(onB[0][0], "/media/attachment/"+remote.ID+"/0/") {
		t.Fatalf("images on B = %v, want the two images of the post from B", onB)
	}
	resp, body := fetchMedia(t, bob, onB[0][0])
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, served) {
		t.Errorf("GET %s on B: %d, %d bytes; want 200 and the image A serves", onB[0][0], resp.StatusCode, len(body))
	}
	if a, w := remote.Attachments, "Fishing boats at dawn"; len(a) != 2 || a[0].Alt != w || a[0].MediaType != "image/jpeg" ||
		a[0].Width != 640 || a[0].Height != 480 {
		t.Errorf("attachments stored on B = %+v", a)
	}

	// A comment with an image; its slots of a form sent without files
	// (and a urlencoded one) publish text alone.
	alice.get("/posts/" + post.ID)
	p = alice.postMultipart("/posts/"+post.ID+"/comments", map[string]string{"text": "And the pier.", "alt0": "The pier"},
		map[string]formFile{"image0": {"pier.jpg", encodeJPEG(t, testImage(200, 100, false, false))}})
	wantStatus(t, p, http.StatusSeeOther)
	alice.get("/posts/" + post.ID)
	wantStatus(t, alice.postMultipart("/posts/"+post.ID+"/comments", map[string]string{"text": "No picture."}, nil), http.StatusSeeOther)
	// A comment of an image alone, as apps may post one.
	alice.get("/posts/" + post.ID)
	p = alice.postMultipart("/posts/"+post.ID+"/comments", map[string]string{"alt0": "The slipway"},
		map[string]formFile{"image0": {"slipway.jpg", encodeJPEG(t, testImage(200, 100, false, false))}})
	wantStatus(t, p, http.StatusSeeOther)
	thread := alice.get("/posts/" + post.ID)
	wantBody(t, thread, "And the pier.", "No picture.")
	if shown := attachmentsOn(t, thread); len(shown) != 4 || shown[2][1] != "The pier" || shown[3][1] != "The slipway" {
		t.Errorf("images in the thread = %v, want the post's two and the comments'", shown)
	}

	// Deleting the post removes its files.
	alice.get("/@alice")
	wantStatus(t, alice.post("/posts/"+post.ID+"/delete", nil), http.StatusSeeOther)
	if got := len(uploadsOn(t, a)); got != 2 {
		t.Errorf("uploads after the post is deleted = %d, want 2 (the comments')", got)
	}
}

func TestPostImagesRefused(t *testing.T) {
	inst := startInstance(t, func(c *Config) {
		c.Media.MaxUploadBytes = 256 << 10
		c.Media.MaxUploadSide = 2000
	})
	alice := member(t, inst, "alice")
	fields := map[string]string{"kind": "discussion", "headline": "Storm damage", "text": "Look.",
		"action": "publish", "alt0": "The roof", "alt1": "The shed"}
	good := formFile{"roof.jpg", encodeJPEG(t, testImage(100, 100, false, false))}
	for _, tc := range []struct {
		name   string
		file   formFile
		status int
		reason string
	}{
		{"not an image", formFile{"shed.jpg", []byte("<html><body>hello</body></html>")}, http.StatusUnsupportedMediaType, "Image 2: The file is not a JPEG, PNG, GIF or WebP image."},
		{"an SVG", formFile{"shed.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)}, http.StatusUnsupportedMediaType, "not a JPEG, PNG, GIF or WebP"},
		{"a decompression bomb", formFile{"shed.png", pngClaiming(t, 60000, 60000)}, http.StatusUnprocessableEntity, "60000×60000 pixels"},
		{"too large a file", formFile{"shed.png", encodePNG(t, testImage(400, 400, true, false))}, http.StatusRequestEntityTooLarge, "larger than"},
	} {
		alice.get("/compose")
		p := alice.postMultipart("/compose", fields, map[string]formFile{"image0": good, "image1": tc.file})
		if p.Status != tc.status || !strings.Contains(p.Body, tc.reason) {
			t.Errorf("%s: status = %d, want %d with %q", tc.name, p.Status, tc.status, tc.reason)
		}
		// The form comes back with what was typed.
		wantBody(t, p, `value="Storm damage"`, `value="The roof"`, `value="The shed"`)

		alice.get("/compose")
		p = alice.postMultipart("/compose", map[string]string{"kind": "discussion", "headline": "Roof", "text": "x", "action": "publish"},
			nil)
		wantStatus(t, p, http.StatusSeeOther)
		post := latestPost(t, inst, "alice")
		alice.get("/posts/" + post.ID)
		p = alice.postMultipart("/posts/"+post.ID+"/comments", map[string]string{"text": "Mine too.", "alt0": "My shed"},
			map[string]formFile{"image0": tc.file})
		if p.Status != tc.status || !strings.Contains(p.Body, tc.reason[strings.Index(tc.reason, ":")+1:]) {
			t.Errorf("%s, comment: status = %d, want %d", tc.name, p.Status, tc.status)
		}
		wantBody(t, p, "Mine too.", `value="My shed"`)
	}
	// Nothing refused was published or kept.
	if feed := alice.get("/@alice"); strings.Contains(feed.Body, "Storm damage") || strings.Contains(feed.Body, "Mine too.") {
		t.Error("a refused post or comment was published")
	}
	if got := uploadsOn(t, inst); len(got) != 0 {
		t.Errorf("uploads kept after refusals = %v, want none", got)
	}

	// A headline refused by the rules removes the images already made.
	alice.get("/compose")
	p := alice.postMultipart("/compose", map[string]string{"kind": "discussion", "headline": "", "text": "x", "action": "publish"},
		map[string]formFile{"image0": good})
	wantStatus(t, p, http.StatusBadRequest)
	if got := uploadsOn(t, inst); len(got) != 0 {
		t.Errorf("uploads kept after a refused post = %v, want none", got)
	}
}

// peerAttachment is an attachment as the Fedify peer's typed model read it.
type peerAttachment struct {
	Type      string `json:"type"`
	URL       string `json:"url"`
	MediaType string `json:"mediaType"`
	Name      string `json:"name"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
}

// TestFedifyPeerReadsPostImages: the Create of a news post with an image
// reaches a Fedify server, whose vocabulary reads the news Link and the
// image as a Document with its description and size.
func TestFedifyPeerReadsPostImages(t *testing.T) {
	findNode(t)
	inst, _ := startInteropInstance(t)
	peer := startFedifyPeer(t, "--name", "viewer")
	alice := member(t, inst, "alice")
	aliceActor := actorOf(t, inst, "alice")
	interopControl(t, peer, "follow", map[string]string{"target": "alice@" + inst.Config.Server.Domain})
	waitFor(t, "the peer among alice's followers", interopWait, func() bool { return followersOf(t, inst, "alice") == 1 })

	alice.get("/compose")
	wantStatus(t, alice.postMultipart("/compose", map[string]string{
		"kind": "news", "link": "https://news.example/floods", "headline": "Floods recede",
		"action": "publish", "alt0": "A dry street again",
	}, map[string]formFile{"image0": {"street.jpg", encodeJPEG(t, testImage(2400, 1200, false, false))}}), http.StatusSeeOther)
	post := latestPost(t, inst, "alice")

	var create struct {
		ObjectID    string           `json:"objectId"`
		Actor       string           `json:"actor"`
		Attachments []peerAttachment `json:"attachments"`
	}
	waitFor(t, "the peer to receive the Create", interopWait, func() bool {
		_, body := peer.control(t, "inbox?type=Create", nil)
		var all []json.RawMessage
		json.Unmarshal(body, &all)
		for _, raw := range all {
			json.Unmarshal(raw, &create)
			if create.ObjectID == post.URI {
				return true
			}
		}
		return false
	})
	if create.Actor != aliceActor.URI {
		t.Errorf("Create from %s, want %s", create.Actor, aliceActor.URI)
	}
	if len(post.Attachments) != 1 {
		t.Fatalf("post attachments = %+v", post.Attachments)
	}
	want := []peerAttachment{
		{Type: "Link", URL: "https://news.example/floods"},
		{Type: "Document", URL: post.Attachments[0].URL, MediaType: "image/jpeg", Name: "A dry street again", Width: 1920, Height: 960},
	}
	if !slices.Equal(create.Attachments, want) {
		t.Errorf("attachments as Fedify read them = %+v, want %+v", create.Attachments, want)
	}
}

// TestJanitorSweepsUnusedUploads: files of uploads nothing uses (a crash
// between an image and its post, say) go once they are an hour old;
// avatars, headers, images of posts, young files and files of others
// stay.
func TestJanitorSweepsUnusedUploads(t *testing.T) {
	inst := startInstance(t, nil)
	alice := member(t, inst, "alice")
	alice.get("/settings/profile")
	wantStatus(t, alice.upload("/settings/images/avatar", "me.png", encodePNG(t, testImage(50, 50, false, false))), http.StatusSeeOther)
	alice.get("/compose")
	wantStatus(t, alice.postMultipart("/compose", map[string]string{"kind": "discussion", "headline": "h", "text": "t", "action": "publish"},
		map[string]formFile{"image0": {"a.jpg", encodeJPEG(t, testImage(50, 50, false, false))}}), http.StatusSeeOther)
	used := uploadsOn(t, inst)
	if len(used) != 2 {
		t.Fatalf("uploads = %v, want the avatar and the post's image", used)
	}
	dir := filepath.Join(inst.Config.mediaDir(), "uploads")
	for _, name := range []string{"0123456789abcdef0123456789abcdef.jpg", ".upload-123", "notes.txt", "fedcba9876543210fedcba9876543210.png"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	for _, name := range append(used, "0123456789abcdef0123456789abcdef.jpg", ".upload-123", "notes.txt") {
		if err := os.Chtimes(filepath.Join(dir, name), old, old); err != nil {
			t.Fatal(err)
		}
	}
	site := inst.server.Handler.(*web.Server)
	n, err := site.SweepUploads(context.Background(), time.Now().Add(-uploadGrace))
	if err != nil || n != 2 {
		t.Errorf("SweepUploads = %d, %v; want 2 removed", n, err)
	}
	want := append(slices.Clone(used), "fedcba9876543210fedcba9876543210.png", "notes.txt")
	slices.Sort(want)
	if got := uploadsOn(t, inst); !slices.Equal(got, want) {
		t.Errorf("uploads after the sweep = %v, want %v", got, want)
	}
}
