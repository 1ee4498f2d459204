package federation

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/tidings-social/tidings/storage"
)

// groupAwareSoftware are the servers that read a Group's Announce of a
// whole activity (FEP-1b12) and file the post under the group. Every
// other server, and one whose software is unknown, gets the plain boost
// Mastodon understands (docs/federation.md, Subwikis).
var groupAwareSoftware = map[string]bool{
	"lemmy": true, "mbin": true, "kbin": true, "piefed": true, "tidings": true,
}

// nodeInfoTimeout bounds reading a server's software, which the outbox
// worker waits for before it sends an announce there.
const nodeInfoTimeout = 5 * time.Second

// groupAware reports whether the server of an inbox reads FEP-1b12
// announces, as its NodeInfo says.
func (f *Federator) groupAware(ctx context.Context, inbox string) bool {
	return groupAwareSoftware[f.softwareOf(ctx, inbox)]
}

// softwareOf is the software the server of an inbox runs, as its NodeInfo
// names it, "" when unknown. What a server said is kept and read again
// when it is stale (storage.HostSoftware.Stale); a server that does not
// answer keeps what it said before.
func (f *Federator) softwareOf(ctx context.Context, inbox string) string {
	u, err := url.Parse(inbox)
	if err != nil || u.Host == "" {
		return ""
	}
	known, err := f.db.SoftwareOf(ctx, u.Host)
	if err != nil {
		f.log.Warn("software of a server", "host", u.Host, "err", err)
		return known.Name
	}
	if !known.Stale(f.now()) {
		return known.Name
	}
	if down, err := f.db.HostUnavailable(ctx, u.Host); err != nil || down {
		return known.Name // nothing is delivered there now; asked once it is back
	}
	readCtx, cancel := context.WithTimeout(ctx, nodeInfoTimeout)
	defer cancel()
	name, err := f.readSoftware(readCtx, u.Scheme, u.Host)
	if err != nil {
		if ctx.Err() != nil {
			return known.Name
		}
		f.log.Info("cannot read a server's NodeInfo", "host", u.Host, "err", err)
		name = known.Name
	}
	err = f.db.RecordSoftware(ctx, u.Host, name)
	if storage.ErrorCode(err) == storage.EInvalid {
		// Not a NodeInfo software name: unknown, until it is read again.
		name, err = "", f.db.RecordSoftware(ctx, u.Host, "")
	}
	if err != nil {
		f.log.Warn("record software of a server", "host", u.Host, "err", err)
	}
	return name
}

// readSoftware fetches a server's NodeInfo through its discovery index,
// unsigned (both are public), and returns the software it names.
func (f *Federator) readSoftware(ctx context.Context, scheme, host string) (string, error) {
	body, err := f.client.GetJSON(ctx, scheme+"://"+host+"/.well-known/nodeinfo", "application/json", nil)
	if err != nil {
		return "", err
	}
	hrefs, err := readNodeInfoIndex(body)
	if err != nil {
		return "", err
	}
	for _, href := range hrefs {
		body, err = f.client.GetJSON(ctx, href, "application/json", nil)
		if err != nil {
			continue
		}
		var name string
		if name, err = readNodeInfoSoftware(body); err == nil {
			return strings.ToLower(name), nil
		}
	}
	return "", err
}

// groupAwareOnly keeps the inboxes of group-aware servers: a subwiki's
// Update of a post from elsewhere is read by Tidings alone, and Mastodon
// and GoToSocial refuse an edit from anyone but the post's author.
func (f *Federator) groupAwareOnly(ctx context.Context, inboxes []string) []string {
	var out []string
	for _, inbox := range inboxes {
		if f.groupAware(ctx, inbox) {
			out = append(out, inbox)
		}
	}
	return out
}
