package api

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"
)

func TestMediaRefusals(t *testing.T) {
	ta := startStatusAPI(t) // keeps no images: no PostImages
	alice := ta.signedUpMember("alice")
	token := ta.tokenOf(alice, "write:media")
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	part, err := form.CreateFormFile("file", "pier.png")
	if err != nil {
		t.Fatal(err)
	}
	part.Write([]byte("\x89PNG"))
	form.Close()

	ans := ta.call(http.MethodPost, "/api/v2/media", form.FormDataContentType(), body.String(), token)
	wantJSONAnswer(t, ans, http.StatusUnprocessableEntity)
	var e map[string]string
	ans.json(t, &e)
	if e["error"] != "This server takes no image uploads." {
		t.Errorf("error = %q", e["error"])
	}
	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v1/media", "application/json", `{"description":"no file"}`, token),
		http.StatusUnprocessableEntity)
	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v2/media", form.FormDataContentType(), body.String(),
		ta.tokenOf(alice, "read write:statuses")), http.StatusForbidden)
	wantJSONAnswer(t, ta.call(http.MethodPost, "/api/v2/media", form.FormDataContentType(), body.String(), ""),
		http.StatusUnauthorized)
	wantJSONAnswer(t, ta.call(http.MethodGet, "/api/v1/media/01NOPE", "", "", token), http.StatusNotFound)
	wantJSONAnswer(t, ta.call(http.MethodPut, "/api/v1/media/01NOPE", "application/json", `{"description":"x"}`, token),
		http.StatusNotFound)
}
