package dedup

// Story describes a live story of the index.
type Story struct {
	Key     string   // story key (Result.Cluster)
	Origin  string   // wire agency named by the first member with a credit line
	Members []string // member IDs in arrival order
	Outlets []string // outlet of each member
}

// Story returns the live story with key, or false when it is unknown or
// closed.
func (ix *Index) Story(key string) (Story, bool) {
	num, ok := ix.lookupKey(key)
	if !ok {
		return Story{}, false
	}
	s := ix.live(num)
	st := Story{Key: key, Origin: ix.names.list[s.origin]}
	for _, m := range ix.members.get(s.members) {
		st.Members = append(st.Members, ix.strs.str(m.id))
		st.Outlets = append(st.Outlets, ix.names.list[m.outlet])
	}
	return st, true
}

// compact rewrites the slabs and the arena with the runs and strings of
// live stories only, tight.
func (ix *Index) compact() {
	members := slab[member]{h: ix.mem}
	titles := slab[uint32]{h: ix.mem}
	strs := arena{h: ix.mem}
	strs.b, strs.mem = makeOff[byte](ix.mem, len(ix.strs.b)/2)
	members.data, members.mem = makeOff[member](ix.mem, ix.docs)
	titles.data, titles.mem = makeOff[uint32](ix.mem, len(ix.titles.data)/2)
	keep := func(r strRef) strRef {
		return strs.addBytes(ix.strs.b[r.off : r.off+r.n])
	}
	for i := range ix.stories {
		s := &ix.stories[i]
		if ix.state[i] == closedState {
			*s = story{num: s.num}
			continue
		}
		s.key = keep(s.key)
		s.members = ix.members.compactInto(&members, s.members)
		for j := range members.get(s.members) {
			m := &members.data[int(s.members.off)+j]
			m.id = keep(m.id)
		}
		s.title = ix.titles.compactInto(&titles, s.title)
	}
	ix.mem.release(ix.members.mem)
	ix.mem.release(ix.titles.mem)
	ix.mem.release(ix.strs.mem)
	ix.members, ix.titles, ix.strs = members, titles, strs
}
