package dedup

import (
	"slices"
	"strings"
)

// Story describes a live story of the index.
type Story struct {
	Key            string   // story key (Result.Cluster)
	Representative string   // the earliest member, unless a preferred outlet published one
	Origin         string   // wire agency named by the first member with a credit line
	Members        []string // member IDs in arrival order
	Outlets        []string // outlet of each member
}

// Story returns the live story with key, or false when it is unknown or
// closed.
func (ix *Index) Story(key string) (Story, bool) {
	num, ok := ix.keys[key]
	if !ok {
		return Story{}, false
	}
	s := ix.live(num)
	if s == nil {
		return Story{}, false
	}
	return Story{
		Key:            s.key,
		Representative: s.members[s.rep],
		Origin:         s.origin,
		Members:        slices.Clone(s.members),
		Outlets:        slices.Clone(s.outlets),
	}, true
}

// preferRank is the position of outlet in prefer (case-insensitive), or
// len(prefer) when it is not preferred.
func preferRank(outlet string, prefer []string) int {
	for i, p := range prefer {
		if strings.EqualFold(p, outlet) {
			return i
		}
	}
	return len(prefer)
}
