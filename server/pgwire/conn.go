package pgwire

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/sluicedb/sluice/sql/sqlerr"
)

// Causes for a cancelled statement context.
var (
	ErrCanceled = sqlerr.New(sqlerr.QueryCanceled, "canceling statement due to user request")
	ErrShutdown = sqlerr.New(sqlerr.AdminShutdown, "terminating connection due to administrator command").WithSeverity(sqlerr.SeverityFatal)
)

type conn struct {
	srv *Server
	nc  net.Conn
	be  *pgproto3.Backend
	key BackendKey
	h   Handler
	w   *ResultWriter

	mu           sync.Mutex
	runCancel    context.CancelCauseFunc // set while a message is processed
	terminated   bool
	shutdownIdle bool
}

func (c *conn) netConn() net.Conn { return c.nc }

func (c *conn) closeNet() { _ = c.nc.Close() }

// cancel cancels the running statement, if any.
func (c *conn) cancel(cause error) {
	c.mu.Lock()
	if c.runCancel != nil {
		c.runCancel(cause)
	}
	c.mu.Unlock()
}

// Cancel implements Notifier.
func (c *conn) Cancel() { c.cancel(ErrCanceled) }

// Terminate implements Notifier: FATAL 57P01 and close.
func (c *conn) Terminate() { c.terminate() }

func (c *conn) terminate() {
	c.mu.Lock()
	c.terminated = true
	busy := c.runCancel != nil
	if busy {
		c.runCancel(ErrShutdown)
	}
	c.mu.Unlock()
	if !busy {
		// Idle: wake the reader; the loop sends the FATAL.
		_ = c.nc.SetReadDeadline(time.Now())
	}
}

func (c *conn) shutdownWhenIdle() {
	c.mu.Lock()
	c.shutdownIdle = true
	busy := c.runCancel != nil
	c.mu.Unlock()
	if !busy {
		_ = c.nc.SetReadDeadline(time.Now())
	}
}

// begin returns a context for one message; end must be called after.
func (c *conn) begin() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	c.mu.Lock()
	c.runCancel = cancel
	c.mu.Unlock()
	return ctx, func() {
		c.mu.Lock()
		c.runCancel = nil
		c.mu.Unlock()
		cancel(nil)
	}
}

// protocolError turns a receive error into the FATAL it deserves.
func (c *conn) protocolError(err error) error {
	var tooBig *pgproto3.ExceededMaxBodyLenErr
	switch {
	case errors.As(err, &tooBig):
		return fatal(sqlerr.ProtocolViolation, "invalid message length").
			WithDetail("Message of %d bytes exceeds the limit of %d bytes.", tooBig.ActualBodyLen, tooBig.MaxExpectedBodyLen)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return err
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return err
	}
	return fatal(sqlerr.ProtocolViolation, "invalid frontend message: %v", err)
}

func (c *conn) fatalAndClose(e *sqlerr.Error) {
	c.w.Error(e.WithSeverity(sqlerr.SeverityFatal))
	_ = c.w.Flush()
}

// loop serves messages until Terminate, EOF or a fatal error.
func (c *conn) loop() {
	ignoreTillSync := false
	for {
		c.mu.Lock()
		term, shut := c.terminated, c.shutdownIdle
		c.mu.Unlock()
		if term || shut {
			c.fatalAndClose(ErrShutdown)
			return
		}
		var deadline time.Time
		idleTx := false
		if st := c.h.TxStatus(); st != 'I' {
			if ms := c.h.IdleInTransactionTimeout(); ms > 0 {
				deadline = time.Now().Add(time.Duration(ms) * time.Millisecond)
				idleTx = true
			}
		}
		_ = c.nc.SetReadDeadline(deadline)
		msg, err := c.be.Receive()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				c.mu.Lock()
				term, shut = c.terminated, c.shutdownIdle
				c.mu.Unlock()
				switch {
				case term || shut:
					c.fatalAndClose(ErrShutdown)
				case idleTx:
					c.fatalAndClose(sqlerr.New(sqlerr.IdleInTransactionTimeout, "terminating connection due to idle-in-transaction timeout"))
				}
				return
			}
			perr := c.protocolError(err)
			var se *sqlerr.Error
			if errors.As(perr, &se) {
				c.srv.cfg.Logger.Debug("protocol violation", "pid", c.key.PID, "err", err)
				c.fatalAndClose(se)
			}
			return
		}
		if _, isSync := msg.(*pgproto3.Sync); ignoreTillSync && !isSync {
			if _, isTerm := msg.(*pgproto3.Terminate); !isTerm {
				continue
			}
		}
		ctx, end := c.begin()
		err = c.dispatch(ctx, msg, &ignoreTillSync)
		end()
		if err != nil {
			if errors.Is(err, errTerminate) {
				return
			}
			var se *sqlerr.Error
			if errors.As(err, &se) && se.Severity == sqlerr.SeverityFatal {
				c.fatalAndClose(se)
				return
			}
			// A write error: the client is gone.
			return
		}
	}
}

var errTerminate = errors.New("terminate")

// stmtErr converts a statement error, naming the cancel cause.
func stmtErr(ctx context.Context, err error) error {
	if cause := context.Cause(ctx); cause != nil && ctx.Err() != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, cause) {
			return cause
		}
	}
	return err
}

func (c *conn) dispatch(ctx context.Context, msg pgproto3.FrontendMessage, ignoreTillSync *bool) error {
	w := c.w
	fail := func(err error) error {
		err = stmtErr(ctx, err)
		if se := sqlerr.From(err); se.Severity == sqlerr.SeverityFatal {
			return se
		}
		w.Error(err)
		c.h.ErrorInBatch()
		*ignoreTillSync = true
		return w.maybeFlush()
	}
	switch m := msg.(type) {
	case *pgproto3.Query:
		if err := c.h.Query(ctx, m.String, w); err != nil {
			err = stmtErr(ctx, err)
			if se := sqlerr.From(err); se.Severity == sqlerr.SeverityFatal {
				return se
			}
			w.Error(err)
		}
		w.send(&pgproto3.ReadyForQuery{TxStatus: c.h.TxStatus()})
		return w.Flush()
	case *pgproto3.Parse:
		params := append([]uint32(nil), m.ParameterOIDs...)
		if err := c.h.Parse(ctx, m.Name, m.Query, params); err != nil {
			return fail(err)
		}
		w.send(&pgproto3.ParseComplete{})
	case *pgproto3.Bind:
		params := make([][]byte, len(m.Parameters))
		for i, p := range m.Parameters {
			if p != nil {
				params[i] = append([]byte{}, p...)
			}
		}
		pf := append([]int16(nil), m.ParameterFormatCodes...)
		rf := append([]int16(nil), m.ResultFormatCodes...)
		if err := c.h.Bind(ctx, m.DestinationPortal, m.PreparedStatement, pf, params, rf); err != nil {
			return fail(err)
		}
		w.send(&pgproto3.BindComplete{})
	case *pgproto3.Describe:
		if m.ObjectType == 'S' {
			params, cols, err := c.h.DescribeStatement(ctx, m.Name)
			if err != nil {
				return fail(err)
			}
			w.send(&pgproto3.ParameterDescription{ParameterOIDs: params})
			if cols == nil {
				w.NoData()
			} else {
				w.RowDescription(cols, nil)
			}
		} else {
			cols, formats, err := c.h.DescribePortal(ctx, m.Name)
			if err != nil {
				return fail(err)
			}
			if cols == nil {
				w.NoData()
			} else {
				w.RowDescription(cols, formats)
			}
		}
	case *pgproto3.Execute:
		if err := c.h.Execute(ctx, m.Portal, int(m.MaxRows), w); err != nil {
			return fail(err)
		}
	case *pgproto3.Close:
		if err := c.h.Close(ctx, m.ObjectType, m.Name); err != nil {
			return fail(err)
		}
		w.send(&pgproto3.CloseComplete{})
	case *pgproto3.Sync:
		*ignoreTillSync = false
		st := c.h.Sync(ctx)
		w.send(&pgproto3.ReadyForQuery{TxStatus: st})
		return w.Flush()
	case *pgproto3.Flush:
		return w.Flush()
	case *pgproto3.Terminate:
		return errTerminate
	case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
		// Outside COPY these are ignored, as PostgreSQL does.
	case *pgproto3.FunctionCall:
		return fail(sqlerr.Unsupported("fastpath function calls are not supported"))
	default:
		return fatal(sqlerr.ProtocolViolation, "invalid frontend message type %d", typeByte(msg))
	}
	return w.maybeFlush()
}
