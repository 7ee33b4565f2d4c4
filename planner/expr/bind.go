package expr

import (
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

func ErrAt(e *sqlerr.Error, pos int) *sqlerr.Error {
	if pos >= 0 && e.Position == 0 {
		return e.WithPosition(pos + 1)
	}
	return e
}

// IsUnknown reports whether e's type is still open (a literal or an untyped param).
func IsUnknown(e Expr) bool {
	return e.Type().OID == types.OIDUnknown
}
