//go:build unix && !linux

package dedup

const mapPopulate = 0
