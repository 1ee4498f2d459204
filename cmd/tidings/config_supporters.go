package main

import (
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/tidings-social/tidings/web"
)

// The environment variables that hold Stripe's keys, so that they need
// not be written in the config file; they win over it.
const (
	stripeSecretKeyEnv     = "TIDINGS_STRIPE_SECRET_KEY"
	stripeWebhookSecretEnv = "TIDINGS_STRIPE_WEBHOOK_SECRET"
)

// SupportersConfig is the [supporters] section: how members support the
// instance with money. Without a Stripe secret key, payments by card are
// off.
type SupportersConfig struct {
	StripeSecretKey     string `toml:"stripe_secret_key"`
	StripeWebhookSecret string `toml:"stripe_webhook_secret"`
	StripeAPIURL        string `toml:"stripe_api_url"`
	// Currency of the tiers, ISO 4217 ("usd" when unset).
	Currency string       `toml:"currency"`
	Tiers    []TierConfig `toml:"tiers"`
	// HostingCostsCentsPerMonth is what running the instance costs, shown
	// on /support.
	HostingCostsCentsPerMonth int64 `toml:"hosting_costs_cents_per_month"`
}

// webStripe is the Stripe part of [supporters] as the site takes it,
// with the keys from the environment when it has them.
func (c *Config) webStripe() web.StripeConfig {
	s := c.Supporters
	key, secret := s.StripeSecretKey, s.StripeWebhookSecret
	if env := os.Getenv(stripeSecretKeyEnv); env != "" {
		key = env
	}
	if env := os.Getenv(stripeWebhookSecretEnv); env != "" {
		secret = env
	}
	return web.StripeConfig{SecretKey: web.Secret(key), WebhookSecret: web.Secret(secret), APIURL: s.StripeAPIURL}
}

// problems checks the Stripe keys of [supporters]: a key of the wrong
// kind in the wrong place is the likeliest mistake.
func (s SupportersConfig) problems() []problem {
	var ps []problem
	add := func(key, format string, args ...any) {
		ps = append(ps, problem{"supporters." + key, fmt.Sprintf(format, args...)})
	}
	if k := s.StripeSecretKey; k != "" && !strings.HasPrefix(k, "sk_") && !strings.HasPrefix(k, "rk_") {
		add("stripe_secret_key", "must be a secret or restricted key from Stripe's dashboard, starting sk_ or rk_ (a publishable pk_ key cannot take payments)")
	}
	if w := s.StripeWebhookSecret; w != "" && !strings.HasPrefix(w, "whsec_") {
		add("stripe_webhook_secret", "must be the signing secret of the webhook endpoint, starting whsec_")
	}
	if u := s.StripeAPIURL; u != "" {
		parsed, err := url.Parse(u)
		if err != nil || (parsed.Scheme != "https" && parsed.Scheme != "http") || parsed.Host == "" {
			add("stripe_api_url", "%q must be an http(s) address like \"http://127.0.0.1:12111\" (leave it unset for Stripe's own)", u)
		}
	}
	return append(ps, s.tierProblems()...)
}
