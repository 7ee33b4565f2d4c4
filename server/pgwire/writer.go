package pgwire

import (
	"encoding/binary"
	"io"
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// flushAt is the buffered size past which rows are flushed to the socket.
const flushAt = 64 << 10

// ResultWriter sends a statement's results to the client. It buffers and
// flushes at protocol boundaries (and when the buffer grows large).
type ResultWriter struct {
	c       *conn
	buf     []byte
	discard bool // MOVE and FETCH ABSOLUTE skip rows without sending them

	// current row encoding
	colTypes []types.Type
	formats  []int16
	fmt      *types.Format
}

// Discard returns a writer that drops everything written to it.
func (w *ResultWriter) Discard() *ResultWriter { return &ResultWriter{c: w.c, discard: true} }

func (w *ResultWriter) send(m pgproto3.BackendMessage) {
	if w.discard {
		return
	}
	var err error
	w.buf, err = m.Encode(w.buf)
	if err != nil {
		// Encoding fails only for absurd sizes (over 1 GiB fields); report it.
		w.buf, _ = (&pgproto3.ErrorResponse{Severity: "ERROR", Code: string(sqlerr.ProgramLimitExceeded), Message: err.Error()}).Encode(w.buf)
	}
}

// Flush writes buffered messages to the connection.
func (w *ResultWriter) Flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	_, err := w.c.netConn().Write(w.buf)
	w.buf = w.buf[:0]
	return err
}

func (w *ResultWriter) maybeFlush() error {
	if len(w.buf) >= flushAt {
		return w.Flush()
	}
	return nil
}

// RowDescription sends the description of the result columns; formats has
// one entry per column, one for all, or none (text).
func (w *ResultWriter) RowDescription(cols []Column, formats []int16) {
	rd := &pgproto3.RowDescription{Fields: make([]pgproto3.FieldDescription, len(cols))}
	for i, c := range cols {
		rd.Fields[i] = pgproto3.FieldDescription{
			Name: []byte(c.Name), TableOID: c.TableOID, TableAttributeNumber: uint16(c.ColNum),
			DataTypeOID: c.TypeOID, DataTypeSize: c.TypeSize, TypeModifier: c.TypeMod, Format: FormatFor(formats, i),
		}
	}
	w.send(rd)
}

// NoData answers Describe for a statement without result rows.
func (w *ResultWriter) NoData() { w.send(&pgproto3.NoData{}) }

// FormatFor returns column i's format code from a Bind result-format list.
func FormatFor(formats []int16, i int) int16 {
	switch len(formats) {
	case 0:
		return 0
	case 1:
		return formats[0]
	}
	if i < len(formats) {
		return formats[i]
	}
	return 0
}

// BeginRows prepares row encoding for columns of the given types.
func (w *ResultWriter) BeginRows(colTypes []types.Type, formats []int16, f *types.Format) {
	w.colTypes, w.formats, w.fmt = colTypes, formats, f
}

// WriteBatch sends rows [from, to) of a batch as DataRow messages.
func (w *ResultWriter) WriteBatch(rb arrow.RecordBatch, from, to int) error {
	if w.discard {
		return nil
	}
	cols := rb.Columns()
	for r := from; r < to; r++ {
		start := len(w.buf)
		w.buf = append(w.buf, 'D', 0, 0, 0, 0)
		w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(len(cols)))
		for i, col := range cols {
			t := w.colTypes[i]
			if col.IsNull(r) {
				w.buf = binary.BigEndian.AppendUint32(w.buf, 0xFFFFFFFF)
				continue
			}
			lenAt := len(w.buf)
			w.buf = append(w.buf, 0, 0, 0, 0)
			w.buf = appendValue(w.buf, col, t, r, FormatFor(w.formats, i) == 1, w.fmt)
			binary.BigEndian.PutUint32(w.buf[lenAt:], uint32(len(w.buf)-lenAt-4))
		}
		binary.BigEndian.PutUint32(w.buf[start+1:], uint32(len(w.buf)-start-1))
		if err := w.maybeFlush(); err != nil {
			return err
		}
	}
	return nil
}

// Complete sends CommandComplete with a tag ("SELECT 3", "BEGIN").
func (w *ResultWriter) Complete(tag string) {
	w.send(&pgproto3.CommandComplete{CommandTag: []byte(tag)})
}

// Suspended sends PortalSuspended (Execute hit its row limit).
func (w *ResultWriter) Suspended() { w.send(&pgproto3.PortalSuspended{}) }

// EmptyQuery sends EmptyQueryResponse.
func (w *ResultWriter) EmptyQuery() { w.send(&pgproto3.EmptyQueryResponse{}) }

// Notice sends a NoticeResponse.
func (w *ResultWriter) Notice(n sqlerr.Notice) {
	sev := string(n.Severity)
	if sev == "" {
		sev = "NOTICE"
	}
	code := string(n.Code)
	if code == "" {
		code = "00000"
	}
	w.send(&pgproto3.NoticeResponse{Severity: sev, SeverityUnlocalized: sev, Code: code, Message: n.Message, Detail: n.Detail, Hint: n.Hint})
}

// ParameterStatus reports a changed setting.
func (w *ResultWriter) ParameterStatus(name, value string) {
	w.send(&pgproto3.ParameterStatus{Name: name, Value: value})
}

// Error sends an ErrorResponse.
func (w *ResultWriter) Error(err error) {
	w.send(errorResponse(err))
}

func errorResponse(err error) *pgproto3.ErrorResponse {
	e := sqlerr.From(err)
	sev := string(e.SeverityOrDefault())
	return &pgproto3.ErrorResponse{Severity: sev, SeverityUnlocalized: sev, Code: string(e.Code),
		Message: e.Message, Detail: e.Detail, Hint: e.Hint, Position: int32(e.Position)}
}

// CopyOut starts COPY TO STDOUT with ncols text columns.
func (w *ResultWriter) CopyOut(ncols int) {
	w.send(&pgproto3.CopyOutResponse{OverallFormat: 0, ColumnFormatCodes: make([]uint16, ncols)})
}

// CopyData sends one CopyData message.
func (w *ResultWriter) CopyData(b []byte) error {
	w.buf = append(w.buf, 'd')
	w.buf = binary.BigEndian.AppendUint32(w.buf, uint32(len(b)+4))
	w.buf = append(w.buf, b...)
	return w.maybeFlush()
}

// CopyDone ends COPY TO STDOUT.
func (w *ResultWriter) CopyDone() { w.send(&pgproto3.CopyDone{}) }

// CopyIn starts COPY FROM STDIN and returns a reader of the client's data;
// the reader returns io.EOF at CopyDone and a 57014 error at CopyFail.
func (w *ResultWriter) CopyIn(ncols int) (io.Reader, error) {
	w.send(&pgproto3.CopyInResponse{OverallFormat: 0, ColumnFormatCodes: make([]uint16, ncols)})
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return &copyReader{c: w.c}, nil
}

type copyReader struct {
	c    *conn
	rest []byte
	done bool
	err  error
}

// Read implements io.Reader over CopyData messages.
func (r *copyReader) Read(p []byte) (int, error) {
	for len(r.rest) == 0 {
		if r.done {
			return 0, io.EOF
		}
		if r.err != nil {
			return 0, r.err
		}
		msg, err := r.c.be.Receive()
		if err != nil {
			r.err = r.c.protocolError(err)
			return 0, r.err
		}
		switch m := msg.(type) {
		case *pgproto3.CopyData:
			r.rest = append(r.rest[:0], m.Data...)
		case *pgproto3.CopyDone:
			r.done = true
		case *pgproto3.CopyFail:
			r.err = sqlerr.New(sqlerr.QueryCanceled, "COPY from stdin failed: %s", m.Message)
		case *pgproto3.Flush, *pgproto3.Sync:
			// ignored during COPY, per the protocol
		default:
			r.err = sqlerr.New(sqlerr.ProtocolViolation, "unexpected message type 0x%02X during COPY from stdin", typeByte(msg))
		}
	}
	n := copy(p, r.rest)
	r.rest = r.rest[n:]
	return n, nil
}

func typeByte(m pgproto3.FrontendMessage) byte {
	b, err := m.Encode(nil)
	if err != nil || len(b) == 0 {
		return '?'
	}
	return b[0]
}

// appendValue encodes one non-null value, with allocation-free paths for the
// common Arrow arrays and the generic Datum path for the rest.
func appendValue(buf []byte, col arrow.Array, t types.Type, r int, bin bool, f *types.Format) []byte {
	be := binary.BigEndian
	switch a := col.(type) {
	case *array.Int64:
		if t.OID == types.OIDInt8 {
			if bin {
				return be.AppendUint64(buf, uint64(a.Value(r)))
			}
			return strconv.AppendInt(buf, a.Value(r), 10)
		}
	case *array.Int32:
		if bin {
			return be.AppendUint32(buf, uint32(a.Value(r)))
		}
		return strconv.AppendInt(buf, int64(a.Value(r)), 10)
	case *array.Int16:
		if bin {
			return be.AppendUint16(buf, uint16(a.Value(r)))
		}
		return strconv.AppendInt(buf, int64(a.Value(r)), 10)
	case *array.Float64:
		if bin {
			return be.AppendUint64(buf, math.Float64bits(a.Value(r)))
		}
		efd := 1
		if f != nil {
			efd = f.ExtraFloatDigits
		}
		return types.AppendFloat(buf, a.Value(r), false, efd)
	case *array.String:
		if t.OID == types.OIDText || t.OID == types.OIDVarchar || t.OID == types.OIDName || t.OID == types.OIDBpchar {
			return append(buf, a.Value(r)...)
		}
	case *array.Boolean:
		v := a.Value(r)
		switch {
		case bin && v:
			return append(buf, 1)
		case bin:
			return append(buf, 0)
		case v:
			return append(buf, 't')
		}
		return append(buf, 'f')
	}
	d := types.DatumAt(col, t, r)
	if bin {
		return types.AppendBinary(buf, t, d)
	}
	return types.AppendText(buf, t, d, f)
}
