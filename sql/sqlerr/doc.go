// Package sqlerr is the one catalogue of SQL errors and notices in sluice.
//
// Every error that can reach a client is born as an *Error carrying its
// SQLSTATE (see the Code constants); layers wrap it with %w and nobody maps
// codes at the edge. Unsupported features are FeatureNotSupported (0A000)
// with a hint; anything unexpected becomes InternalError (XX000) in the one
// recover of server/session. sqlerr imports only the standard library.
package sqlerr
