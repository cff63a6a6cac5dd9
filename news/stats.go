package news

import "time"

// StoryStats sums up a story's members for lists that show it without
// reading every member: when the copies ran, and how often they were
// revised.
type StoryStats struct {
	FirstPublished time.Time `json:"first_published"` // earliest member publication
	LastPublished  time.Time `json:"last_published"`  // latest member publication
	Revised        int       `json:"revised"`         // members kept in more than one version
	Versions       int       `json:"versions"`        // versions after the first, over those members
	Updated        time.Time `json:"updated"`         // when the latest of them was seen
}
