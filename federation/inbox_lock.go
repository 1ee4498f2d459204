package federation

import (
	"context"

	"github.com/tidings-social/tidings/storage"
)

// lockNotice is a Lock or Undo(Lock) of a post's headline, as Lemmy and
// Tidings send them, possibly inside a subwiki's Announce. go-fed knows
// no Lock, so these are read as JSON.
type lockNotice struct {
	post   string
	locked bool
	reason string
	via    bool // inside an Announce
}

// readLock recognizes a Lock, an Undo of one, or an Announce of either.
func readLock(raw map[string]any) (lockNotice, bool) {
	var n lockNotice
	if raw["type"] == "Announce" {
		inner, ok := raw["object"].(map[string]any)
		if !ok {
			return n, false
		}
		n, ok = readLock(inner)
		n.via = true
		return n, ok
	}
	obj := raw
	n.locked = true
	if raw["type"] == "Undo" {
		inner, ok := raw["object"].(map[string]any)
		if !ok {
			return n, false
		}
		obj, n.locked = inner, false
	}
	if obj["type"] != "Lock" {
		return n, false
	}
	n.post, _ = obj["object"].(string)
	n.reason, _ = obj["summary"].(string)
	return n, n.post != ""
}

// onLock applies a Lock or Undo(Lock) of a post in a subwiki elsewhere,
// passed on by that subwiki (the authority for its posts): our copy's
// headline is locked (or unlocked) too, so members here are told before
// they try to correct it.
func (f *Federator) onLock(ctx context.Context, in *storage.Inbound, raw map[string]any) (bool, error) {
	n, ok := readLock(raw)
	if !ok {
		return false, nil
	}
	if !n.via {
		return true, ignore("a Lock must come from the post's subwiki")
	}
	group, err := f.db.ActorByURI(ctx, in.ActorURI)
	if err != nil || group.Kind != storage.KindGroup {
		return true, ignore("a Lock passed on by %s, which is not a subwiki", in.ActorURI)
	}
	err = f.db.LockFromGroup(storage.CompletingInbound(ctx, in), group.ID, n.post, n.locked, n.reason)
	if code := storage.ErrorCode(err); code == storage.ENotFound || code == storage.EForbidden {
		return true, ignore("%s", storage.ErrorMessage(err))
	}
	return true, err
}
