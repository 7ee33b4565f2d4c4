package pgwire

import (
	"context"
)

// Column describes one result column for RowDescription.
type Column struct {
	Name     string
	TableOID uint32
	ColNum   int16
	TypeOID  uint32
	TypeSize int16
	TypeMod  int32
}

// Startup is what a client asked for at connection start.
type Startup struct {
	User       string
	Database   string
	Params     map[string]string // every startup parameter, options included
	RemoteAddr string
	TLS        bool
}

// Handler serves one connection's statements; it is the session.
//
// Methods that run statements receive a context that is cancelled by a
// CancelRequest naming this connection (cause ErrCanceled) and must return
// promptly once it is. Errors should be *sqlerr.Error; anything else is
// reported as XX000.
type Handler interface {
	// Query runs a simple-protocol query string (possibly several statements).
	Query(ctx context.Context, sql string, w *ResultWriter) error
	// Parse prepares a named ("" = unnamed) statement.
	Parse(ctx context.Context, name, sql string, paramOIDs []uint32) error
	// Bind creates a portal from a prepared statement.
	Bind(ctx context.Context, portal, stmt string, paramFormats []int16, params [][]byte, resultFormats []int16) error
	// DescribeStatement returns parameter types and result columns (nil: NoData).
	DescribeStatement(ctx context.Context, name string) ([]uint32, []Column, error)
	// DescribePortal returns the result columns with their formats (nil: NoData).
	DescribePortal(ctx context.Context, name string) ([]Column, []int16, error)
	// Execute runs a portal for at most maxRows rows (0 = all).
	Execute(ctx context.Context, portal string, maxRows int, w *ResultWriter) error
	// Close closes a statement ('S') or portal ('P'); closing a missing one is not an error.
	Close(ctx context.Context, kind byte, name string) error
	// Sync ends an extended-protocol batch; it commits an implicit transaction
	// and returns the transaction status byte ('I', 'T' or 'E').
	Sync(ctx context.Context) byte
	// ErrorInBatch tells the session an error ended the current batch (it fails
	// an explicit transaction and rolls back an implicit one at Sync).
	ErrorInBatch()
	// TxStatus is the current transaction status byte.
	TxStatus() byte
	// IdleInTransactionTimeout is how long the connection may sit idle in a
	// transaction block before it is closed (0: no limit).
	IdleInTransactionTimeout() int64
	// Close releases the session when the connection ends.
	Terminate()
}

// Sessions creates a Handler for a new, authenticated connection. It returns
// the ParameterStatus set to report and may refuse the connection with a
// FATAL error (unknown database, …).
type Sessions interface {
	NewSession(ctx context.Context, st *Startup, key BackendKey, notify Notifier) (Handler, [][2]string, error)
}

// Notifier lets a session push asynchronous messages (ParameterStatus after
// SET is sent synchronously through ResultWriter instead).
type Notifier interface {
	// Terminate closes the connection with FATAL 57P01 (pg_terminate_backend).
	Terminate()
	// Cancel cancels the statement running on this connection, if any.
	Cancel()
}

// BackendKey identifies a connection for CancelRequest.
type BackendKey struct {
	PID    uint32
	Secret uint32
}
