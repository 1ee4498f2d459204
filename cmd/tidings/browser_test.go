package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// browserTimeout bounds everything one browser test does in Chromium.
const browserTimeout = 60 * time.Second

// findChromium returns the path of the Chromium or Chrome binary: the
// one TIDINGS_CHROMIUM names when it is set, else the first of
// chromium, chromium-browser and google-chrome on the PATH. Without
// one, it fails the test when CI=true and skips it otherwise.
func findChromium(t *testing.T) string {
	t.Helper()
	names := []string{"chromium", "chromium-browser", "google-chrome"}
	if name := os.Getenv("TIDINGS_CHROMIUM"); name != "" {
		names = []string{name}
	}
	for _, name := range names {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("browser tests need Chromium and it is required in CI: not installed (looked for %s); install the Debian package chromium or set TIDINGS_CHROMIUM", strings.Join(names, ", "))
	}
	t.Skip("browser tests need Chromium: not installed; install the Debian package chromium (apt-get install chromium)")
	return ""
}

// newBrowser starts headless Chromium for the test, with a fresh
// profile and no network traffic of its own, and returns the context of
// its first tab. The browser stops when the test ends or after
// browserTimeout, whichever comes first.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := findChromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	)
	ctx, cancelTimeout := context.WithTimeout(context.Background(), browserTimeout)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	ctx, cancelTab := chromedp.NewContext(ctx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelTimeout()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	return ctx
}

// artifactsDir returns the folder for the pictures browser tests take,
// and makes it: $TIDINGS_ARTIFACTS/browser when that is set, else
// artifacts/browser at the root of the repository (ignored by git).
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "artifacts", "browser")
	if root := os.Getenv("TIDINGS_ARTIFACTS"); root != "" {
		dir = filepath.Join(root, "browser")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("make artifacts folder: %v", err)
	}
	return dir
}

// screenshot saves a PNG of the whole page of the tab in ctx as
// name.png in artifactsDir.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	file := filepath.Join(artifactsDir(t), name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatalf("save screenshot: %v", err)
	}
}

// submitForm clicks the submit button of the form whose action is
// action, waits for the page the submission leads to, and fails the
// test unless that page arrives with status 200 at wantPath.
func submitForm(t *testing.T, ctx context.Context, baseURL, action, wantPath string) {
	t.Helper()
	button := chromedp.CSS(`form[action="` + action + `"] button[type=submit]`)
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(button))
	if err != nil {
		t.Fatalf("submit form %s: %v", action, err)
	}
	if got, want := resp.Status, int64(200); got != want {
		t.Fatalf("after submitting %s: status = %d, want %d", action, got, want)
	}
	if got, want := location(t, ctx), baseURL+wantPath; got != want {
		t.Fatalf("after submitting %s: location = %q, want %q", action, got, want)
	}
}

// location returns the address of the page in the tab.
func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("read location: %v", err)
	}
	return loc
}

// text returns the visible text of the first element that matches the
// CSS selector, trimmed of surrounding space.
func text(t *testing.T, ctx context.Context, selector string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		t.Fatalf("read text of %s: %v", selector, err)
	}
	return strings.TrimSpace(s)
}

// evaluate runs the JavaScript expression in the page and returns its
// value. The site has no JavaScript; tests use this only to inspect.
func evaluate[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitInPage waits until the JavaScript expression is true in the page,
// such as a viewport change that Chromium applies after the command that
// asked for it returns, or the focus that autofocus moves once a page is
// shown. It waits for the condition, not for a time: on a loaded machine
// Chromium may take seconds to render the frame that applies a change.
// A poll begun while a new page replaces the old one fails at once (its
// execution context goes); it then polls again in the page now shown.
// Only the browser's own deadline (browserTimeout) ends the wait. It
// reports whether the expression became true; the caller checks the value
// and says what was wrong.
func waitInPage(t *testing.T, ctx context.Context, expr string) bool {
	t.Helper()
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(0)))
		if err == nil {
			return true
		}
		select {
		case <-ctx.Done():
			t.Logf("wait for %s: %v", expr, err)
			return false
		case <-time.After(50 * time.Millisecond): // a new page's context, or an expression that threw
		}
	}
}

// do runs the actions in the tab and fails the test on an error.
func do(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func TestBrowserSignUpSignInEditProfile(t *testing.T) {
	inst := startInstance(t, nil)
	ctx := newBrowser(t)
	t.Logf("screenshots in %s", artifactsDir(t))

	const (
		username    = "ada"
		password    = "analytical engine"
		displayName = "Ada Lovelace"
		newName     = "Ada, Countess of Lovelace"
		newBio      = "Writes programs for engines that do not exist yet."
	)

	// Sign up through the form.
	do(t, ctx, "fill the sign-up form",
		chromedp.Navigate(inst.URL+"/signup"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signup"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signup"] input[name=username]`), username),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signup"] input[name=display_name]`), displayName),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signup"] input[name=email]`), username+"@example.org"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signup"] input[name=password]`), password),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signup"] input[name=password_again]`), password),
	)
	if got, want := text(t, ctx, `form[action="/signup"] button[type=submit]`), "Create account"; got != want {
		t.Errorf("sign-up button = %q, want %q", got, want)
	}
	screenshot(t, ctx, "01-signup-form")
	submitForm(t, ctx, inst.URL, "/signup", "/@"+username)

	if got, want := text(t, ctx, "main p.flash"), "Welcome to Tidings, "+displayName+"!"; got != want {
		t.Errorf("flash after sign-up = %q, want %q", got, want)
	}
	if got, want := text(t, ctx, "h1.p-name"), displayName; got != want {
		t.Errorf("profile name after sign-up = %q, want %q", got, want)
	}
	if got, want := text(t, ctx, `header nav a[href="/@`+username+`"]`), "@"+username; got != want {
		t.Errorf("nav link to own profile = %q, want %q", got, want)
	}
	screenshot(t, ctx, "02-profile-after-signup")

	// Sign out with the button in the nav.
	submitForm(t, ctx, inst.URL, "/signout", "/")
	if got, want := text(t, ctx, "main p.flash"), "You are signed out."; got != want {
		t.Errorf("flash after sign-out = %q, want %q", got, want)
	}
	if got, want := text(t, ctx, `header nav a[href="/signin"]`), "Sign in"; got != want {
		t.Errorf("nav sign-in link after sign-out = %q, want %q", got, want)
	}

	// Sign in through the form.
	do(t, ctx, "fill the sign-in form",
		chromedp.Navigate(inst.URL+"/signin"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signin"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signin"] input[name=username]`), username),
		chromedp.SendKeys(chromedp.CSS(`form[action="/signin"] input[name=password]`), password),
	)
	screenshot(t, ctx, "03-signin")
	submitForm(t, ctx, inst.URL, "/signin", "/")
	if got, want := text(t, ctx, "main h1"), "Hello, "+displayName; got != want {
		t.Errorf("home page heading after sign-in = %q, want %q", got, want)
	}

	// Edit the profile in the settings.
	do(t, ctx, "open the settings",
		chromedp.Navigate(inst.URL+"/settings/profile"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/settings/profile"]`)),
	)
	nameField := chromedp.CSS(`form[action="/settings/profile"] input[name=display_name]`)
	bioField := chromedp.CSS(`form[action="/settings/profile"] textarea[name=bio]`)
	value, err := chromedp.Run(ctx, chromedp.Value(nameField))
	if err != nil {
		t.Fatalf("read display name field: %v", err)
	}
	if got, want := value, displayName; got != want {
		t.Errorf("display name field = %q, want %q", got, want)
	}
	do(t, ctx, "fill the profile form",
		chromedp.Clear(nameField),
		chromedp.SendKeys(nameField, newName),
		chromedp.SendKeys(bioField, newBio),
	)
	screenshot(t, ctx, "04-settings-form")
	submitForm(t, ctx, inst.URL, "/settings/profile", "/@"+username)

	if got, want := text(t, ctx, "main p.flash"), "Your profile is saved."; got != want {
		t.Errorf("flash after saving = %q, want %q", got, want)
	}
	if got, want := text(t, ctx, "h1.p-name"), newName; got != want {
		t.Errorf("profile name after saving = %q, want %q", got, want)
	}
	if got, want := text(t, ctx, ".bio"), newBio; got != want {
		t.Errorf("profile bio after saving = %q, want %q", got, want)
	}
	screenshot(t, ctx, "05-profile-after-edit")

	m, err := inst.DB.MemberByUsername(context.Background(), username)
	if err != nil {
		t.Fatalf("member %s: %v", username, err)
	}
	if got, want := m.DisplayName, newName; got != want {
		t.Errorf("stored display name = %q, want %q", got, want)
	}
	if got, want := m.Bio, newBio; got != want {
		t.Errorf("stored bio = %q, want %q", got, want)
	}

	// The profile on a phone.
	desktopWidth := evaluate[int](t, ctx, `window.innerWidth`)
	do(t, ctx, "emulate a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile),
	)
	waitInPage(t, ctx, `window.innerWidth === 390`)
	if got, want := evaluate[int](t, ctx, `window.innerWidth`), 390; got != want {
		t.Fatalf("mobile viewport width = %d, want %d", got, want)
	}
	if got, limit := evaluate[int](t, ctx, `document.documentElement.scrollWidth`), 390; got > limit {
		t.Errorf("mobile page width = %d, want at most %d (no sideways scrolling)", got, limit)
	}
	screenshot(t, ctx, "06-profile-mobile")
	// chromedp.ResetViewport leaves the phone's width in place after
	// EmulateMobile, so clear the override itself.
	if _, err := chromedp.Call(ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
		t.Fatalf("stop emulating a phone: %v", err)
	}
	waitInPage(t, ctx, fmt.Sprintf(`window.innerWidth === %d`, desktopWidth))
	if got, want := evaluate[int](t, ctx, `window.innerWidth`), desktopWidth; got != want {
		t.Errorf("viewport width after the phone = %d, want %d", got, want)
	}

	// The profile in dark mode.
	const background = `getComputedStyle(document.body).backgroundColor`
	light := evaluate[string](t, ctx, background)
	_, err = chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	})
	if err != nil {
		t.Fatalf("emulate dark color scheme: %v", err)
	}
	if !waitInPage(t, ctx, `matchMedia("(prefers-color-scheme: dark)").matches`) {
		t.Errorf("prefers-color-scheme: dark does not match after emulating it")
	}
	if dark := evaluate[string](t, ctx, background); dark == light {
		t.Errorf("page background in dark mode = %s, want other than in light mode (%s)", dark, light)
	}
	screenshot(t, ctx, "07-profile-dark")
}
