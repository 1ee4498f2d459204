package web

import (
	"fmt"
	"strings"
	"time"
)

// SupportConfig is what supporting the instance costs and where the
// money goes: the tiers, their currency and the hosting costs.
type SupportConfig struct {
	Currency          string // ISO 4217, lower case
	Tiers             []SupportTier
	HostingCostsCents int64 // a month's
}

// SupportTier is one way to support: an amount every month or year.
type SupportTier struct {
	Name          string
	AmountCents   int64
	Interval      string // "month" or "year"
	StripePriceID string // "": checkout states the amount itself
}

// tier returns the tier with the name.
func (c SupportConfig) tier(name string) (SupportTier, bool) {
	for _, t := range c.Tiers {
		if strings.EqualFold(t.Name, name) {
			return t, true
		}
	}
	return SupportTier{}, false
}

// coversUntil is the end of a period of the tier paid at from.
func (t SupportTier) coversUntil(from time.Time) time.Time {
	if t.Interval == "year" {
		return from.AddDate(1, 0, 0)
	}
	return from.AddDate(0, 1, 0)
}

// zeroDecimal are the currencies Stripe counts in whole units.
var zeroDecimal = map[string]bool{"bif": true, "clp": true, "djf": true, "gnf": true, "jpy": true, "kmf": true,
	"krw": true, "mga": true, "pyg": true, "rwf": true, "ugx": true, "vnd": true, "vuv": true, "xaf": true,
	"xof": true, "xpf": true}

// currencySymbols are shown before the amount; other currencies follow
// it by their code.
var currencySymbols = map[string]string{"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥", "cad": "CA$", "aud": "A$"}

// formatMoney shows an amount in the currency's smallest unit (cents)
// for people: "$12.99", "12.99 CHF". Integer arithmetic only.
func formatMoney(cents int64, currency string) string {
	currency = strings.ToLower(currency)
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	amount := fmt.Sprintf("%d.%02d", cents/100, cents%100)
	if zeroDecimal[currency] {
		amount = fmt.Sprint(cents)
	}
	if sym, ok := currencySymbols[currency]; ok {
		return sign + sym + amount
	}
	return sign + amount + " " + strings.ToUpper(currency)
}

// parseMoney reads an amount like "12.99" or "100" into the currency's
// smallest unit, without floating point.
func parseMoney(s, currency string) (int64, bool) {
	s = strings.TrimSpace(s)
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" && !hasFrac || zeroDecimal[strings.ToLower(currency)] && hasFrac || len(frac) > 2 {
		return 0, false
	}
	var w, f int64
	for _, part := range []struct {
		digits string
		into   *int64
	}{{whole, &w}, {frac, &f}} {
		for _, r := range part.digits {
			if r < '0' || r > '9' || *part.into > 1e12 {
				return 0, false
			}
			*part.into = *part.into*10 + int64(r-'0')
		}
	}
	if zeroDecimal[strings.ToLower(currency)] {
		return w, true
	}
	if len(frac) == 1 {
		f *= 10
	}
	return w*100 + f, true
}
