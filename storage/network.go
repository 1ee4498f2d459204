package storage

import "net/netip"

// NetworkOf is what rate limits count the address ip as: an IPv4
// address itself, an IPv6 address by its /64, since one subscriber
// usually holds a whole /64 and can change addresses within it at will.
func NetworkOf(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap().WithZone("")
	if addr.Is6() {
		return netip.PrefixFrom(addr, 64).Masked().String()
	}
	return addr.String()
}
