// Package pgwire is the PostgreSQL wire protocol (3.0) front end of sluice:
// framing, the startup packet, SSLRequest/GSSENCRequest, TLS, password
// authentication (trust, cleartext, md5 and SCRAM-SHA-256), BackendKeyData
// and CancelRequest, connection and message-size limits, and the encoding of
// results (RowDescription, DataRow in text and binary, CommandComplete,
// ErrorResponse, NoticeResponse, COPY sub-protocol).
//
// pgwire never sees a plan. Each connection is served by a Handler (the
// session) that receives statements and protocol requests and answers through
// a ResultWriter; pgwire owns the protocol rules around them: one
// ReadyForQuery per Query or Sync, discarding messages until Sync after an
// error in the extended protocol, Flush without Sync, FATAL 08P01 on a
// malformed frame. Frames larger than MaxMessageSize are rejected from their
// header, before any allocation.
//
// pgwire may import sql/sqlerr, sql/types, arrow and pgproto3 only.
package pgwire
