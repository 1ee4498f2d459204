package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/tidings-social/tidings/storage"
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
	if storage.ZeroDecimal(currency) {
		amount = fmt.Sprint(cents)
	}
	if sym, ok := currencySymbols[currency]; ok {
		return sign + sym + amount
	}
	return sign + amount + " " + strings.ToUpper(currency)
}
