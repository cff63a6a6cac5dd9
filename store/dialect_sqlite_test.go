package store

import (
	"testing"

	"github.com/wiredesk/wiredesk/store/storetest"
)

func init() { testBackends["sqlite"] = testBackend{dsn: sqliteDSN} }

func sqliteDSN(t testing.TB) string { return storetest.SQLiteDSN(t) }
