//go:build unix

package dedup

import "syscall"

// mapAnon maps n bytes of zeroed private memory.
func mapAnon(n int) ([]byte, error) {
	return syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
}

// mapAnonFilled is mapAnon for memory about to be written whole (a
// snapshot's array): its pages are mapped at once rather than one fault at
// a time.
func mapAnonFilled(n int) ([]byte, error) {
	return syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE|mapPopulate)
}

func unmapAnon(b []byte) { _ = syscall.Munmap(b) }
