package news

// Event is an entry of the live stream: Seq is its append position, Kind
// article, revision, story or alert, Data its JSON.
type Event struct {
	Seq  int64
	Kind string
	Data []byte
}
