package main

import (
	"fmt"
	"strings"

	"github.com/tidings-social/tidings/web"
)

// TierConfig is one [[supporters.tiers]]: what a supporter pays, how often.
type TierConfig struct {
	Name        string `toml:"name"`
	AmountCents int64  `toml:"amount_cents"`
	Interval    string `toml:"interval"` // "month" or "year"
	// StripePriceID is a price made in Stripe's dashboard; without one,
	// checkout states the amount itself.
	StripePriceID string `toml:"stripe_price_id"`
}

// defaultTiers are WT.Social's: $12.99 a month or $100 a year.
var defaultTiers = []TierConfig{
	{Name: "Monthly", AmountCents: 1299, Interval: "month"},
	{Name: "Yearly", AmountCents: 10000, Interval: "year"},
}

// tiers are the configured tiers, or the defaults when none are.
func (s SupportersConfig) tiers() []TierConfig {
	if len(s.Tiers) == 0 {
		return defaultTiers
	}
	return s.Tiers
}

// tierProblems checks the currency, the tiers and the hosting costs.
func (s SupportersConfig) tierProblems() []problem {
	var ps []problem
	add := func(key, format string, args ...any) {
		ps = append(ps, problem{"supporters." + key, fmt.Sprintf(format, args...)})
	}
	if c := s.Currency; c != "" && (len(c) != 3 || strings.Trim(strings.ToLower(c), "abcdefghijklmnopqrstuvwxyz") != "") {
		add("currency", "%q must be a three-letter ISO 4217 code like \"usd\" or \"eur\"", c)
	}
	if s.HostingCostsCentsPerMonth < 0 {
		add("hosting_costs_cents_per_month", "%d must not be negative", s.HostingCostsCentsPerMonth)
	}
	names := map[string]bool{}
	for i, t := range s.Tiers {
		key := fmt.Sprintf("tiers[%d]", i)
		switch name := strings.TrimSpace(t.Name); {
		case name == "":
			add(key+".name", "every tier needs a name, like \"Monthly\"")
		case names[strings.ToLower(name)]:
			add(key+".name", "%q is the name of another tier too", name)
		default:
			names[strings.ToLower(name)] = true
		}
		if t.AmountCents < 50 {
			add(key+".amount_cents", "%d must be at least 50 (cents; Stripe's smallest charge)", t.AmountCents)
		}
		if t.Interval != "month" && t.Interval != "year" {
			add(key+".interval", "%q must be \"month\" or \"year\"", t.Interval)
		}
		if p := t.StripePriceID; p != "" && !strings.HasPrefix(p, "price_") {
			add(key+".stripe_price_id", "%q must be a price id from Stripe, starting price_", p)
		}
	}
	return ps
}

// webSupport is what the site shows and charges for supporters.
func (c *Config) webSupport() web.SupportConfig {
	s := c.Supporters
	currency := strings.ToLower(s.Currency)
	if currency == "" {
		currency = "usd"
	}
	out := web.SupportConfig{Currency: currency, HostingCostsCents: s.HostingCostsCentsPerMonth}
	for _, t := range s.tiers() {
		out.Tiers = append(out.Tiers, web.SupportTier{Name: strings.TrimSpace(t.Name), AmountCents: t.AmountCents,
			Interval: t.Interval, StripePriceID: t.StripePriceID})
	}
	return out
}
