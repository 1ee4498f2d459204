package web

// PartnerConfig is the partner program's settings: which share of a
// month's supporter revenue is the creator pool, and the most of any
// creator's earnings one supporter's money may make up.
type PartnerConfig struct {
	PoolPercent              int
	MaxSupporterSharePercent int
}
