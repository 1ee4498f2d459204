package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/tidings-social/tidings/storage"
)

func (a *API) instanceRoutes(r *mux.Router) {
	r.HandleFunc("/api/v2/instance", a.instance).Methods(http.MethodGet)
	r.HandleFunc("/api/v1/instance", a.instanceV1).Methods(http.MethodGet)
	r.HandleFunc("/api/v1/instance/rules", a.instanceRules).Methods(http.MethodGet)
	r.HandleFunc("/api/v1/instance/peers", a.instancePeers).Methods(http.MethodGet)
	r.HandleFunc("/api/v1/instance/activity", emptyList).Methods(http.MethodGet)
}

// Facts about the API that are not the instance's to configure.
const (
	// compatibleVersion is the Mastodon version whose API this one
	// follows: apps turn features on by it (edits need 3.5, v2 filters
	// 4.0); grouped notifications (4.3) are not served.
	compatibleVersion = "4.2.0"
	sourceURL         = "https://github.com/tidings-social/tidings"
	// charactersPerURL is what a link counts for in a status's length,
	// as on Mastodon.
	charactersPerURL = 23
	// defaultUploadBytes and defaultUploadSide are the limits told when
	// the instance takes no uploads.
	defaultUploadBytes = 8 << 20
	defaultUploadSide  = 4096
)

// version is what the instance says it runs, in the form apps parse.
func (a *API) version() string {
	if a.cfg.Version == "" {
		return compatibleVersion + " (compatible; Tidings)"
	}
	return compatibleVersion + " (compatible; Tidings " + a.cfg.Version + ")"
}

// streamingURL is where the streaming API is: the instance itself.
func (a *API) streamingURL() string {
	if a.cfg.Scheme == "https" {
		return "wss://" + a.cfg.Domain
	}
	return "ws://" + a.cfg.Domain
}

// contactEmail is the configured contact when it is an email address.
func (a *API) contactEmail() string {
	if strings.Contains(a.cfg.Contact, "@") && !strings.Contains(a.cfg.Contact, "://") {
		return a.cfg.Contact
	}
	return ""
}

// configuration is the instance's limits, from the limits storage and
// the uploads keep.
func (a *API) configuration() instanceConfiguration {
	bytes, side := int64(defaultUploadBytes), defaultUploadSide
	if a.cfg.ProfileImages != nil {
		bytes, side = a.cfg.ProfileImages.UploadLimits()
	}
	return instanceConfiguration{
		URLs:  instanceURLs{Streaming: a.streamingURL(), About: a.cfg.baseURL() + "/about", Privacy: a.cfg.baseURL() + "/privacy"},
		Vapid: instanceVapid{},
		Accounts: instanceAccounts{MaxFeaturedTags: 0, MaxPinnedStatuses: storage.MaxPins,
			MaxProfileFields: storage.MaxProfileFields},
		Statuses: instanceStatuses{MaxCharacters: storage.MaxBodyLength, MaxMediaAttachments: storage.MaxAttachments,
			CharactersReservedPerURL: charactersPerURL},
		MediaAttachments: instanceMedia{
			SupportedMimeTypes: []string{"image/jpeg", "image/png", "image/gif", "image/webp"},
			// Mastodon's matrix limit is pixels (width × height); ours is
			// per side, so the largest square taken is told.
			DescriptionLimit: storage.MaxAltLength, ImageSizeLimit: bytes, ImageMatrixLimit: side * side,
		},
		// There are no polls here: no options may be given.
		Polls: instancePolls{},
	}
}

// registrations says who may sign up, as the sign-up page decides: open
// to all, open with an admin's approval or a place on the waiting list,
// or closed (an invite-only instance is closed to the public).
func (a *API) registrations() instanceRegistrations {
	switch a.db.Registration {
	case storage.RegistrationOpen:
		return instanceRegistrations{Enabled: true}
	case storage.RegistrationApproval, storage.RegistrationWaitlist:
		return instanceRegistrations{Enabled: true, ApprovalRequired: true}
	}
	return instanceRegistrations{}
}

// rules are the instance's rules, then the reasons a post may be flagged
// for, which reports name by id. A rule's id is its position ("1"); a
// flag category's is its name ("misleading_headline").
func (a *API) rules(ctx context.Context) ([]instanceRule, error) {
	texts, err := a.db.InstanceRules(ctx)
	if err != nil {
		return nil, err
	}
	rules := make([]instanceRule, 0, len(texts)+len(storage.FlagCategories))
	for i, text := range texts {
		rules = append(rules, instanceRule{ID: strconv.Itoa(i + 1), Text: text})
	}
	for _, c := range storage.FlagCategories {
		rules = append(rules, instanceRule{ID: c, Text: storage.FlagCategoryLabel(c), Hint: "A reason to flag a post to the moderators."})
	}
	return rules, nil
}

// contactAccount is the account of the first admin by name, whom the
// about page lists first too; nil when there is none.
func (a *API) contactAccount(ctx context.Context) (*account, error) {
	admins, err := a.db.Admins(ctx)
	if err != nil || len(admins) == 0 {
		return nil, err
	}
	actor, err := a.db.AccountByID(ctx, admins[0].ID)
	if err != nil {
		return nil, err
	}
	e, err := a.accountEntity(ctx, actor)
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// instanceFacts is what both versions of the instance read.
type instanceFacts struct {
	usage   storage.Usage
	rules   []instanceRule
	contact *account
}

// readInstanceFacts reads the instance's usage, rules and contact.
func (a *API) readInstanceFacts(ctx context.Context) (f instanceFacts, err error) {
	if f.usage, err = a.db.InstanceUsage(ctx); err != nil {
		return f, err
	}
	if f.rules, err = a.rules(ctx); err != nil {
		return f, err
	}
	f.contact, err = a.contactAccount(ctx)
	return f, err
}

// instance answers GET /api/v2/instance.
func (a *API) instance(w http.ResponseWriter, r *http.Request) {
	facts, err := a.readInstanceFacts(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	usage, rules, contact := facts.usage, facts.rules, facts.contact
	e := instanceV2{
		Domain: a.cfg.Domain, Title: a.cfg.InstanceName, Version: a.version(), SourceURL: sourceURL,
		Description: a.cfg.Description, Thumbnail: instanceThumbnail{URL: a.cfg.baseURL() + "/static/icon.svg"},
		Icon: []struct{}{}, Languages: []string{"en"}, Configuration: a.configuration(),
		Registrations: a.registrations(), APIVersions: map[string]int{"mastodon": 1},
		Contact: instanceContact{Email: a.contactEmail(), Account: contact}, Rules: rules,
	}
	e.Usage.Users.ActiveMonth = usage.ActiveMonth
	writeJSON(w, http.StatusOK, e)
}

// instanceV1 answers GET /api/v1/instance.
func (a *API) instanceV1(w http.ResponseWriter, r *http.Request) {
	facts, err := a.readInstanceFacts(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	peers, err := a.db.KnownHosts(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	usage, rules, contact := facts.usage, facts.rules, facts.contact
	reg := a.registrations()
	writeJSON(w, http.StatusOK, instanceV1{
		URI: a.cfg.Domain, Title: a.cfg.InstanceName, ShortDescription: a.cfg.Description, Description: a.cfg.Description,
		Email: a.contactEmail(), Version: a.version(), URLs: instanceV1URLs{StreamingAPI: a.streamingURL()},
		Stats:     instanceV1Stats{UserCount: usage.Members, StatusCount: usage.LocalPosts, DomainCount: len(peers)},
		Thumbnail: a.cfg.baseURL() + "/static/icon.svg", Languages: []string{"en"},
		Registrations: reg.Enabled, ApprovalRequired: reg.ApprovalRequired,
		InvitesEnabled: a.db.Registration != storage.RegistrationClosed,
		MaxTootChars:   storage.MaxBodyLength, Configuration: a.configuration(), ContactAccount: contact, Rules: rules,
	})
}

// instanceRules answers GET /api/v1/instance/rules.
func (a *API) instanceRules(w http.ResponseWriter, r *http.Request) {
	rules, err := a.rules(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rules)
}

// instancePeers answers GET /api/v1/instance/peers: the servers known
// here.
func (a *API) instancePeers(w http.ResponseWriter, r *http.Request) {
	peers, err := a.db.KnownHosts(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if peers == nil {
		peers = []string{}
	}
	writeJSON(w, http.StatusOK, peers)
}
