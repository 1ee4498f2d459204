package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

// report is Mastodon's Report entity (entities/Report.md).
type report struct {
	ID            string   `json:"id"`
	ActionTaken   bool     `json:"action_taken"`
	ActionTakenAt *string  `json:"action_taken_at"`
	Category      string   `json:"category"`
	Comment       string   `json:"comment"`
	Forwarded     bool     `json:"forwarded"`
	CreatedAt     string   `json:"created_at"`
	StatusIDs     []string `json:"status_ids"`
	RuleIDs       []string `json:"rule_ids"`
	TargetAccount account  `json:"target_account"`
}

// reportRoutes take members' reports.
func (a *API) reportRoutes(r *mux.Router) {
	r.Handle("/api/v1/reports", a.signedIn("write write:reports", a.createReport)).Methods(http.MethodPost)
}

// mastodonCategories are the categories an app reports in.
var mastodonCategories = []string{"spam", "legal", "violation", "other"}

// reportReason is the flag category and comment of a report in
// Mastodon's category, citing rules by the ids of the instance's rules
// (instance.go): a flag category's id is its name and makes the flag's
// category; an instance rule's is its number, and the numbers cited open
// the comment, for the moderators. Without a flag category, spam is
// spam and anything else other.
func reportReason(category, comment string, ruleIDs []string, instanceRules int) (string, string, error) {
	if category == "" {
		category = "other"
	}
	if !slices.Contains(mastodonCategories, category) {
		return "", "", unprocessable("category must be spam, legal, violation or other.")
	}
	flagCategory := ""
	var cited []string
	for _, id := range ruleIDs {
		if n, err := strconv.Atoi(id); err == nil && n >= 1 && n <= instanceRules && strconv.Itoa(n) == id {
			cited = append(cited, id)
			continue
		}
		if !slices.Contains(storage.FlagCategories, id) {
			return "", "", unprocessable("No rule has the id " + strconv.Quote(id) + ".")
		}
		if flagCategory == "" {
			flagCategory = id
		}
	}
	if flagCategory == "" {
		flagCategory = storage.FlagOther
		if category == "spam" {
			flagCategory = storage.FlagSpam
		}
	}
	if len(cited) > 0 {
		comment = strings.TrimSpace("Breaks rule " + strings.Join(cited, ", ") + ". " + comment)
	}
	return flagCategory, comment, nil
}

// createReport flags an account, or the statuses of it named, to the
// moderators (POST /api/v1/reports) with the operation of the site's
// flag forms: one flag for each status, or one for the account, all or
// none. forward sends them on to a remote account's server.
func (a *API) createReport(w http.ResponseWriter, r *http.Request, c *caller) {
	p, err := readParams(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	forward, _, err := p.boolean("forward")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	accountID := p.string("account_id")
	if accountID == "" {
		a.fail(w, r, unprocessable("account_id is required."))
		return
	}
	ctx := r.Context()
	rules, err := a.db.InstanceRules(ctx)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ruleIDs := nonEmpty(p.strings("rule_ids"))
	category, comment, err := reportReason(p.string("category"), p.string("comment"), ruleIDs, len(rules))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	target, err := a.db.AccountByID(ctx, accountID)
	if err != nil {
		a.failAccount(w, r, err)
		return
	}
	statusIDs := distinct(nonEmpty(p.strings("status_ids")))
	base := storage.FlagCreate{ReporterID: c.Member.ID, Category: category, Comment: comment, Forward: forward}
	var flags []storage.FlagCreate
	for _, id := range statusIDs {
		post, err := a.db.VisiblePost(ctx, c.Member.ID, id)
		if err == nil && post.AuthorID != target.ID {
			err = storage.Errorf(storage.ENotFound, "The status is not the account's.")
		}
		if err != nil {
			a.failPost(w, r, err)
			return
		}
		f := base
		f.PostID = id
		flags = append(flags, f)
	}
	if len(flags) == 0 {
		base.AccountID = target.ID
		flags = append(flags, base)
	}
	if a.cfg.Allowance != nil {
		if err := a.cfg.Allowance(ActionFlag, c.Member.ID); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	made, err := a.db.FlagItems(ctx, flags)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	entity, err := a.accountEntity(ctx, target)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	shownCategory := p.string("category")
	if len(ruleIDs) > 0 {
		shownCategory = "violation" // as Mastodon, whatever was sent with rules
	} else if shownCategory == "" {
		shownCategory = "other"
	}
	writeJSON(w, http.StatusOK, report{ID: made[0].ID, Category: shownCategory, Comment: made[0].Comment,
		Forwarded: made[0].Forwarded, CreatedAt: apiTime(made[0].CreatedAt), StatusIDs: append([]string{}, statusIDs...),
		RuleIDs: append([]string{}, ruleIDs...), TargetAccount: entity})
}

// distinct leaves out the values given before in the list: a status
// named twice is flagged once.
func distinct(list []string) []string {
	seen := map[string]bool{}
	out := list[:0:0]
	for _, v := range list {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// nonEmpty leaves out the empty values of a list parameter.
func nonEmpty(list []string) []string {
	out := []string{}
	for _, v := range list {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
