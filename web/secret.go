package web

import "log/slog"

// Secret is a password or key from the config: the SMTP password,
// Stripe's keys. It prints as "(hidden)", so that logging the settings,
// printing them with %v or %#v, or a template reading the site config
// never shows it.
type Secret string

// String implements fmt.Stringer.
func (Secret) String() string { return "(hidden)" }

// GoString implements fmt.GoStringer, for %#v.
func (Secret) GoString() string { return `"(hidden)"` }

// LogValue implements slog.LogValuer.
func (Secret) LogValue() slog.Value { return slog.StringValue("(hidden)") }
