package federation

import (
	"net/netip"
	"syscall"
)

// refuseNonPublic is the dialer's Control function: it runs after DNS
// resolution, on the very address about to be connected, so neither a
// hostname resolving to a private address nor a redirect can get past it.
func refuseNonPublic(_, address string, _ syscall.RawConn) error {
	addrPort, err := netip.ParseAddrPort(address)
	if err != nil || !publicAddress(addrPort.Addr()) {
		return ErrPrivateAddress
	}
	return nil
}

// publicAddress reports whether addr is a globally reachable unicast
// address. IPv4-mapped, NAT64 and 6to4 addresses are judged by the IPv4
// address they carry.
func publicAddress(addr netip.Addr) bool {
	addr = addr.Unmap()
	// IsGlobalUnicast is false for unspecified, loopback, multicast,
	// link-local (169.254/16, fe80::/10: cloud metadata) and broadcast.
	if !addr.IsGlobalUnicast() || addr.IsPrivate() {
		return false
	}
	if v4, ok := embeddedIPv4(addr); ok {
		return publicAddress(v4)
	}
	for _, p := range nonPublicPrefixes() {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}

// embeddedIPv4 returns the IPv4 address carried by a NAT64 (64:ff9b::/96,
// RFC 6052) or 6to4 (2002::/16, RFC 3056) address.
func embeddedIPv4(addr netip.Addr) (netip.Addr, bool) {
	b := addr.As16()
	switch {
	case netip.MustParsePrefix("64:ff9b::/96").Contains(addr):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case netip.MustParsePrefix("2002::/16").Contains(addr):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

// nonPublicPrefixes are the special-purpose ranges (IANA registries) that
// are not globally reachable and that the netip predicates do not cover.
func nonPublicPrefixes() []netip.Prefix {
	return []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
		netip.MustParsePrefix("100.64.0.0/10"),   // shared address space (CGNAT)
		netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
		netip.MustParsePrefix("192.0.2.0/24"),    // documentation
		netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
		netip.MustParsePrefix("198.51.100.0/24"), // documentation
		netip.MustParsePrefix("203.0.113.0/24"),  // documentation
		netip.MustParsePrefix("240.0.0.0/4"),     // reserved
		netip.MustParsePrefix("::/96"),           // IPv4-compatible (deprecated)
		netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
		netip.MustParsePrefix("100::/64"),        // discard-only
		netip.MustParsePrefix("2001::/32"),       // Teredo
		netip.MustParsePrefix("2001:2::/48"),     // benchmarking
		netip.MustParsePrefix("2001:db8::/32"),   // documentation
		netip.MustParsePrefix("3fff::/20"),       // documentation
		netip.MustParsePrefix("fec0::/10"),       // site-local (deprecated)
	}
}
