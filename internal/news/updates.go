package news

import "time"

// Updates sums up the revisions of a story's articles, for lists that
// mark revised stories without reading every member.
type Updates struct {
	Articles int       `json:"articles"` // members kept in more than one version
	Versions int       `json:"versions"` // versions after the first, over those members
	Last     time.Time `json:"last"`     // when the latest of them was seen
}
