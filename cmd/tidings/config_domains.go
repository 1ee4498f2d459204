package main

import (
	"strings"

	"github.com/tidings-social/tidings/storage"
)

// domainProblems checks [federation] blocked_domains and limited_domains:
// each entry must be a host (storage.NormalizeDomain), not this
// instance's own, and in one list only.
func (f FederationConfig) domainProblems(ownDomain string) []problem {
	var ps []problem
	seen := map[string]string{}
	for _, list := range []struct {
		key   string
		hosts []string
	}{{"federation.blocked_domains", f.BlockedDomains}, {"federation.limited_domains", f.LimitedDomains}} {
		for _, h := range list.hosts {
			host, err := storage.NormalizeDomain(h)
			switch {
			case err != nil:
				ps = append(ps, problem{list.key, storage.ErrorMessage(err)})
				continue
			case storage.DomainCovers(host, strings.ToLower(ownDomain)):
				ps = append(ps, problem{list.key, "\"" + h + "\" would block this instance's own domain"})
			case seen[host] != "":
				ps = append(ps, problem{list.key, "\"" + h + "\" is already in " + seen[host]})
			}
			seen[host] = list.key
		}
	}
	return ps
}
