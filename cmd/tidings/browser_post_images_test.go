package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPostImage: in a real browser, without JavaScript of the
// site's, a member opens "Images" in the compose form, chooses a photo
// and describes it, and publishes; the post's page shows the photo,
// loaded from this server under its Content-Security-Policy, with the
// description as its alt text.
func TestBrowserPostImage(t *testing.T) {
	inst := startInstance(t, nil)
	ctx := newBrowser(t)
	photo := filepath.Join(t.TempDir(), "harbour.jpg")
	if err := os.WriteFile(photo, withEXIF(encodeJPEG(t, testImage(800, 600, false, false))), 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "fill the sign-up form",
		chromedp.Navigate(inst.URL+"/signup"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signup"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signup"] input[name=username]`), "mary"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signup"] input[name=display_name]`), "Mary"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signup"] input[name=email]`), "mary@example.org"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signup"] input[name=password]`), "a long password"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signup"] input[name=password_again]`), "a long password"),
	)
	submitForm(t, ctx, inst.URL, "/signup", "/@mary")
	do(t, ctx, "compose a discussion with a photo",
		chromedp.Navigate(inst.URL+"/compose"),
		chromedp.WaitVisible(chromedp.CSS(`form.compose`)),
		chromedp.Click(chromedp.CSS(`form.compose input[name=kind][value=discussion]`)),
		chromedp.SendKeys(chromedp.CSS(`form.compose input[name=headline]`), "The harbour at dawn"),
		chromedp.SendKeys(chromedp.CSS(`form.compose textarea[name=text]`), "Taken this morning."),
		chromedp.Click(chromedp.CSS(`form.compose details.image-fields summary`)),
		chromedp.WaitVisible(chromedp.CSS(`form.compose input[name=image0]`)),
		chromedp.SetUploadFiles(chromedp.CSS(`form.compose input[name=image0]`), []string{photo}),
		chromedp.SendKeys(chromedp.CSS(`form.compose input[name=alt0]`), "Fishing boats at dawn"),
	)
	screenshot(t, ctx, "post-image-compose")
	click(t, ctx, inst.URL, `form.compose .compose-foot button[type=submit]`, "/posts/")
	if !waitInPage(t, ctx, `(() => { const i = document.querySelector(".story figure.attachment img"); return !!i && i.complete && i.naturalWidth > 0; })()`) {
		t.Fatal("the post's page shows no loaded image")
	}
	if got := evaluate[string](t, ctx, `document.querySelector(".story figure.attachment img").alt`); got != "Fishing boats at dawn" {
		t.Errorf("alt = %q, want the description", got)
	}
	if got := evaluate[int](t, ctx, `document.querySelector(".story figure.attachment img").naturalWidth`); got != 800 {
		t.Errorf("image width = %d, want 800", got)
	}
	screenshot(t, ctx, "post-image-page")
}
