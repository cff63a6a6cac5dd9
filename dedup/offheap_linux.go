package dedup

import "syscall"

const mapPopulate = syscall.MAP_POPULATE
