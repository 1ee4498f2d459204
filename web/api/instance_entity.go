package api

// instanceV2 is Mastodon's Instance (entities/Instance.md), answered at
// /api/v2/instance: what apps ask before anything else.
type instanceV2 struct {
	Domain        string                `json:"domain"`
	Title         string                `json:"title"`
	Version       string                `json:"version"`
	SourceURL     string                `json:"source_url"`
	Description   string                `json:"description"`
	Usage         instanceUsage         `json:"usage"`
	Thumbnail     instanceThumbnail     `json:"thumbnail"`
	Icon          []struct{}            `json:"icon"`
	Languages     []string              `json:"languages"`
	Configuration instanceConfiguration `json:"configuration"`
	Registrations instanceRegistrations `json:"registrations"`
	APIVersions   map[string]int        `json:"api_versions"`
	Contact       instanceContact       `json:"contact"`
	Rules         []instanceRule        `json:"rules"`
}

type instanceUsage struct {
	Users struct {
		ActiveMonth int `json:"active_month"`
	} `json:"users"`
}

type instanceThumbnail struct {
	URL string `json:"url"`
}

// instanceConfiguration are the instance's limits, which compose
// screens read without a guard: every part is there.
type instanceConfiguration struct {
	URLs             instanceURLs        `json:"urls"`
	Vapid            instanceVapid       `json:"vapid"`
	Accounts         instanceAccounts    `json:"accounts"`
	Statuses         instanceStatuses    `json:"statuses"`
	MediaAttachments instanceMedia       `json:"media_attachments"`
	Polls            instancePolls       `json:"polls"`
	Translation      instanceTranslation `json:"translation"`
}

type instanceURLs struct {
	Streaming string `json:"streaming"`
	About     string `json:"about"`
	Privacy   string `json:"privacy_policy"`
}

type instanceVapid struct {
	PublicKey string `json:"public_key"`
}

type instanceAccounts struct {
	MaxFeaturedTags   int `json:"max_featured_tags"`
	MaxPinnedStatuses int `json:"max_pinned_statuses"`
	MaxProfileFields  int `json:"max_profile_fields"`
}

type instanceStatuses struct {
	MaxCharacters            int `json:"max_characters"`
	MaxMediaAttachments      int `json:"max_media_attachments"`
	CharactersReservedPerURL int `json:"characters_reserved_per_url"`
}

type instanceMedia struct {
	SupportedMimeTypes  []string `json:"supported_mime_types"`
	DescriptionLimit    int      `json:"description_limit"`
	ImageSizeLimit      int64    `json:"image_size_limit"`
	ImageMatrixLimit    int      `json:"image_matrix_limit"`
	VideoSizeLimit      int64    `json:"video_size_limit"`
	VideoFrameRateLimit int      `json:"video_frame_rate_limit"`
	VideoMatrixLimit    int      `json:"video_matrix_limit"`
}

type instancePolls struct {
	MaxOptions             int `json:"max_options"`
	MaxCharactersPerOption int `json:"max_characters_per_option"`
	MinExpiration          int `json:"min_expiration"`
	MaxExpiration          int `json:"max_expiration"`
}

type instanceTranslation struct {
	Enabled bool `json:"enabled"`
}

type instanceRegistrations struct {
	Enabled          bool    `json:"enabled"`
	ApprovalRequired bool    `json:"approval_required"`
	Message          *string `json:"message"`
	URL              *string `json:"url"`
}

type instanceContact struct {
	Email   string   `json:"email"`
	Account *account `json:"account"`
}

// instanceRule is a Rule (entities/Rule.md).
type instanceRule struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Hint string `json:"hint"`
}

// instanceV1 is the Instance of Mastodon before 4.0
// (entities/V1_Instance.md), which older apps and fallbacks ask for.
type instanceV1 struct {
	URI              string                `json:"uri"`
	Title            string                `json:"title"`
	ShortDescription string                `json:"short_description"`
	Description      string                `json:"description"`
	Email            string                `json:"email"`
	Version          string                `json:"version"`
	URLs             instanceV1URLs        `json:"urls"`
	Stats            instanceV1Stats       `json:"stats"`
	Thumbnail        string                `json:"thumbnail"`
	Languages        []string              `json:"languages"`
	Registrations    bool                  `json:"registrations"`
	ApprovalRequired bool                  `json:"approval_required"`
	InvitesEnabled   bool                  `json:"invites_enabled"`
	MaxTootChars     int                   `json:"max_toot_chars"`
	Configuration    instanceConfiguration `json:"configuration"`
	ContactAccount   *account              `json:"contact_account"`
	Rules            []instanceRule        `json:"rules"`
}

type instanceV1URLs struct {
	StreamingAPI string `json:"streaming_api"`
}

type instanceV1Stats struct {
	UserCount   int `json:"user_count"`
	StatusCount int `json:"status_count"`
	DomainCount int `json:"domain_count"`
}
