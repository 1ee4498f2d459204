package main

import (
	"fmt"

	"github.com/tidings-social/tidings/web"
)

// PartnerConfig is the [partner] section: the share of supporters' money
// that goes to the members who write what supporters read.
type PartnerConfig struct {
	// PoolPercent of each month's supporter revenue is the creator pool.
	PoolPercent int `toml:"pool_percent"`
	// MaxSupporterSharePercent caps the part of any creator's earnings
	// one supporter's money may make up.
	MaxSupporterSharePercent int `toml:"max_supporter_share_percent"`
}

// defaultPartner is [partner] when the config says nothing.
var defaultPartner = PartnerConfig{PoolPercent: 50, MaxSupporterSharePercent: 50}

func (p PartnerConfig) problems() []problem {
	var ps []problem
	if p.PoolPercent < 0 || p.PoolPercent > 100 {
		ps = append(ps, problem{"partner.pool_percent", fmt.Sprintf("%d must be a percentage from 0 (no creator pool) to 100", p.PoolPercent)})
	}
	if p.MaxSupporterSharePercent < 1 || p.MaxSupporterSharePercent > 100 {
		ps = append(ps, problem{"partner.max_supporter_share_percent", fmt.Sprintf("%d must be a percentage from 1 to 100 (100: no cap)", p.MaxSupporterSharePercent)})
	}
	return ps
}

// webPartner is [partner] as the site takes it.
func (c *Config) webPartner() web.PartnerConfig {
	return web.PartnerConfig{PoolPercent: c.Partner.PoolPercent, MaxSupporterSharePercent: c.Partner.MaxSupporterSharePercent}
}
