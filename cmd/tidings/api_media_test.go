package main

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// mediaForm is a multipart body with an image in "file", as masto.js
// uploads media, and the other fields given.
func mediaForm(t *testing.T, data []byte, fields map[string]string) (contentType, body string) {
	t.Helper()
	var buf bytes.Buffer
	form := multipart.NewWriter(&buf)
	for k, v := range fields {
		form.WriteField(k, v)
	}
	part, err := form.CreateFormFile("file", "harbour.png")
	if err != nil {
		t.Fatal(err)
	}
	part.Write(data)
	form.Close()
	return form.FormDataContentType(), buf.String()
}

// TestImageFromAnAppOnThePostPage uploads an image as an app does,
// describes it, posts a status carrying it, and finds it on the post's
// page with its description.
func TestImageFromAnAppOnThePostPage(t *testing.T) {
	inst := startInstance(t, nil)
	alice := newVisitor(t, inst)
	alice.signUp("alice", "correct horse battery", nil)
	newVisitor(t, inst).signUp("bob", "correct horse battery", nil)
	token := memberToken(t, inst, "alice", "read write")

	ct, body := mediaForm(t, encodePNG(t, testImage(64, 48, false, false)), map[string]string{"description": "The harbour",
		"focus": "0.0,0.0"})
	up := apiCall(t, inst, http.MethodPost, "/api/v2/media", ct, body, token)
	wantAPIStatus(t, up, http.StatusOK)
	id := up.str("id")
	original, _ := up.JSON["meta"].(map[string]any)["original"].(map[string]any)
	if up.str("type") != "image" || up.str("url") == "" || up.str("preview_url") == "" || up.str("description") != "The harbour" ||
		original["width"] != 64.0 || original["height"] != 48.0 || original["size"] != "64x48" || up.JSON["blurhash"] != nil {
		t.Errorf("media = %s", up.Body)
	}
	if files := uploadsOn(t, inst); len(files) != 1 {
		t.Errorf("uploads = %v, want the one image", files)
	}
	img, err := http.Get(up.str("url"))
	if err != nil {
		t.Fatal(err)
	}
	img.Body.Close()
	if img.StatusCode != http.StatusOK || !strings.HasPrefix(img.Header.Get("Content-Type"), "image/") {
		t.Errorf("the image's url answers %d %s", img.StatusCode, img.Header.Get("Content-Type"))
	}

	described := apiCall(t, inst, http.MethodPut, "/api/v1/media/"+id, "application/json",
		`{"description":"The harbour at dawn"}`, token)
	wantAPIStatus(t, described, http.StatusOK)
	shown := apiCall(t, inst, http.MethodGet, "/api/v1/media/"+id, "", "", token)
	wantAPIStatus(t, shown, http.StatusOK)
	if shown.str("description") != "The harbour at dawn" || shown.str("url") != up.str("url") {
		t.Errorf("media after the description = %s", shown.Body)
	}
	bobToken := memberToken(t, inst, "bob", "read write")
	wantAPIStatus(t, apiCall(t, inst, http.MethodGet, "/api/v1/media/"+id, "", "", bobToken), http.StatusNotFound)
	stolen := apiCall(t, inst, http.MethodPost, "/api/v1/statuses", "application/json",
		`{"status":"Mine now","media_ids":["`+id+`"]}`, bobToken)
	wantAPIStatus(t, stolen, http.StatusUnprocessableEntity)

	posted := apiCall(t, inst, http.MethodPost, "/api/v1/statuses", "application/json",
		`{"status":"Harbour reopens","media_ids":["`+id+`"]}`, token)
	wantAPIStatus(t, posted, http.StatusOK)
	attached, _ := posted.JSON["media_attachments"].([]any)
	if len(attached) != 1 || attached[0].(map[string]any)["description"] != "The harbour at dawn" {
		t.Errorf("media_attachments = %v, want the image", posted.JSON["media_attachments"])
	}
	if got := attachmentsOn(t, alice.get("/posts/"+posted.str("id"))); len(got) != 1 || got[0][1] != "The harbour at dawn" {
		t.Errorf("images on the post's page = %v, want the image described", got)
	}
	again := apiCall(t, inst, http.MethodPost, "/api/v1/statuses", "application/json",
		`{"status":"Twice","media_ids":["`+id+`"]}`, token)
	wantAPIStatus(t, again, http.StatusUnprocessableEntity)
	wantAPIStatus(t, apiCall(t, inst, http.MethodGet, "/api/v1/media/"+id, "", "", token), http.StatusNotFound)

	ct, body = mediaForm(t, []byte("not an image"), nil)
	wantAPIStatus(t, apiCall(t, inst, http.MethodPost, "/api/v1/media", ct, body, token), http.StatusUnprocessableEntity)
	wantAPIStatus(t, apiCall(t, inst, http.MethodPost, "/api/v1/media", "application/json", `{"description":"no file"}`, token),
		http.StatusUnprocessableEntity)
	ct, body = mediaForm(t, encodePNG(t, testImage(8, 8, false, false)), nil)
	wantAPIStatus(t, apiCall(t, inst, http.MethodPost, "/api/v1/media", ct, body, memberToken(t, inst, "alice", "read")),
		http.StatusForbidden)
	wantAPIStatus(t, apiCall(t, inst, http.MethodPost, "/api/v1/media", ct, body, ""), http.StatusUnauthorized)
	if files := uploadsOn(t, inst); len(files) != 1 {
		t.Errorf("uploads after refusals = %v, want the posted image only", files)
	}

	// Deleting the status from the app removes its image's file, as the
	// site's delete button does.
	wantAPIStatus(t, apiCall(t, inst, http.MethodDelete, "/api/v1/statuses/"+posted.str("id"), "", "", token), http.StatusOK)
	if files := uploadsOn(t, inst); len(files) != 0 {
		t.Errorf("uploads after the status was deleted = %v, want none", files)
	}
}

// TestStatusWithImagesOnly posts statuses with images and no text, as
// apps let members post photos: a discussion and a reply, each shown with
// its image. A status with neither text nor an image is refused in
// Mastodon's words.
func TestStatusWithImagesOnly(t *testing.T) {
	inst := startInstance(t, nil)
	alice := newVisitor(t, inst)
	alice.signUp("alice", "correct horse battery", nil)
	token := memberToken(t, inst, "alice", "read write")
	upload := func(description string) string {
		t.Helper()
		ct, body := mediaForm(t, encodePNG(t, testImage(64, 48, false, false)), map[string]string{"description": description})
		up := apiCall(t, inst, http.MethodPost, "/api/v2/media", ct, body, token)
		wantAPIStatus(t, up, http.StatusOK)
		return up.str("id")
	}

	posted := apiCall(t, inst, http.MethodPost, "/api/v1/statuses", "application/json",
		`{"status":"","media_ids":["`+upload("Boats in the harbour at dawn")+`"]}`, token)
	wantAPIStatus(t, posted, http.StatusOK)
	attached, _ := posted.JSON["media_attachments"].([]any)
	if len(attached) != 1 || attached[0].(map[string]any)["description"] != "Boats in the harbour at dawn" {
		t.Errorf("media_attachments = %v, want the image", posted.JSON["media_attachments"])
	}
	shown := apiCall(t, inst, http.MethodGet, "/api/v1/statuses/"+posted.str("id"), "", "", token)
	wantAPIStatus(t, shown, http.StatusOK)
	if got, _ := shown.JSON["media_attachments"].([]any); len(got) != 1 {
		t.Errorf("status shown = %s, want its image", shown.Body)
	}
	if got := attachmentsOn(t, alice.get("/posts/"+posted.str("id"))); len(got) != 1 || got[0][1] != "Boats in the harbour at dawn" {
		t.Errorf("images on the post's page = %v, want the image", got)
	}

	reply := apiCall(t, inst, http.MethodPost, "/api/v1/statuses", "application/x-www-form-urlencoded",
		url.Values{"in_reply_to_id": {posted.str("id")}, "media_ids[]": {upload("")}}.Encode(), token)
	wantAPIStatus(t, reply, http.StatusOK)
	if got, _ := reply.JSON["media_attachments"].([]any); len(got) != 1 || reply.JSON["in_reply_to_id"] != posted.str("id") {
		t.Errorf("reply = %s, want a reply with its image", reply.Body)
	}

	for _, body := range []string{`{"status":""}`, `{"status":"   "}`, `{"media_ids":[]}`} {
		empty := apiCall(t, inst, http.MethodPost, "/api/v1/statuses", "application/json", body, token)
		wantAPIStatus(t, empty, http.StatusUnprocessableEntity)
		if empty.str("error") != "Validation failed: Text can't be blank" {
			t.Errorf("%s: error = %q, want Mastodon's", body, empty.str("error"))
		}
	}
	emptyReply := apiCall(t, inst, http.MethodPost, "/api/v1/statuses", "application/json",
		`{"status":"","in_reply_to_id":"`+posted.str("id")+`"}`, token)
	wantAPIStatus(t, emptyReply, http.StatusUnprocessableEntity)
	if emptyReply.str("error") != "Validation failed: Text can't be blank" {
		t.Errorf("empty reply: error = %q, want Mastodon's", emptyReply.str("error"))
	}
}

// TestInstanceTellsUploadLimits: both versions of the instance tell apps
// the upload limits configured: image_matrix_limit is pixels (width times
// height), the area of the largest square image taken; an image at that
// side is taken and one a pixel wider is refused.
func TestInstanceTellsUploadLimits(t *testing.T) {
	const side = 500
	inst := startInstance(t, func(c *Config) {
		c.Media.MaxUploadBytes = 300 << 10
		c.Media.MaxUploadSide = side
	})
	for _, path := range []string{"/api/v2/instance", "/api/v1/instance"} {
		a := apiCall(t, inst, http.MethodGet, path, "", "", "")
		wantAPIStatus(t, a, http.StatusOK)
		media, _ := a.JSON["configuration"].(map[string]any)["media_attachments"].(map[string]any)
		if got, want := media["image_matrix_limit"], float64(side*side); got != want {
			t.Errorf("%s: image_matrix_limit = %v, want %v (pixels)", path, got, want)
		}
		if got, want := media["image_size_limit"], float64(300<<10); got != want {
			t.Errorf("%s: image_size_limit = %v, want %v (bytes)", path, got, want)
		}
	}
	member(t, inst, "alice")
	token := memberToken(t, inst, "alice", "write")
	for _, tt := range []struct {
		w, h   int
		status int
	}{
		{side, side, http.StatusOK},
		{side + 1, 10, http.StatusUnprocessableEntity},
	} {
		ct, body := mediaForm(t, encodePNG(t, testImage(tt.w, tt.h, false, false)), nil)
		a := apiCall(t, inst, http.MethodPost, "/api/v2/media", ct, body, token)
		if a.Status != tt.status {
			t.Errorf("upload of %d×%d: %d, want %d; %s", tt.w, tt.h, a.Status, tt.status, a.Body)
		}
	}
}
