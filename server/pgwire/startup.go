package pgwire

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/sluicedb/sluice/sql/sqlerr"
)

// Startup packet codes.
const (
	codeSSLRequest    = 80877103
	codeGSSENCRequest = 80877104
	codeCancelRequest = 80877102
	protocol30        = 196608
	maxStartupPacket  = 10000
)

func fatal(code sqlerr.Code, format string, args ...any) *sqlerr.Error {
	return sqlerr.New(code, format, args...).WithSeverity(sqlerr.SeverityFatal)
}

// writeFatal sends a FATAL ErrorResponse on a raw connection.
func writeFatal(nc net.Conn, e *sqlerr.Error) {
	b, _ := errorResponse(e.WithSeverity(sqlerr.SeverityFatal)).Encode(nil)
	_ = nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_, _ = nc.Write(b)
}

// readStartupPacket reads one length-prefixed startup packet without
// buffering, so nothing is consumed past it (TLS may follow).
func readStartupPacket(r io.Reader) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := int(int32(binary.BigEndian.Uint32(hdr[:])))
	if n < 8 || n > maxStartupPacket {
		return nil, sqlerr.New(sqlerr.ProtocolViolation, "invalid length of startup packet")
	}
	body := make([]byte, n-4)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, err
	}
	return body, nil
}

func (s *Server) serveConn(nc net.Conn) {
	defer nc.Close()
	if tc, ok := nc.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
	}
	_ = nc.SetDeadline(time.Now().Add(s.cfg.AuthTimeout))
	var rw net.Conn = nc
	tlsDone := false
	var st *pgproto3.StartupMessage
	for st == nil {
		body, err := readStartupPacket(rw)
		if err != nil {
			var se *sqlerr.Error
			if errors.As(err, &se) {
				writeFatal(rw, se)
			}
			return
		}
		code := binary.BigEndian.Uint32(body)
		switch code {
		case codeSSLRequest:
			if tlsDone {
				writeFatal(rw, fatal(sqlerr.ProtocolViolation, "SSL negotiation already completed"))
				return
			}
			if s.cfg.TLS == nil {
				if _, err := rw.Write([]byte{'N'}); err != nil {
					return
				}
				continue
			}
			if _, err := rw.Write([]byte{'S'}); err != nil {
				return
			}
			tc := tls.Server(nc, s.cfg.TLS)
			// Bytes a client pipelines after SSLRequest are not a ClientHello,
			// so the handshake fails: a protocol error, never plaintext accepted.
			if err := tc.Handshake(); err != nil {
				s.cfg.Logger.Debug("tls handshake failed", "remote", nc.RemoteAddr().String(), "err", err)
				return
			}
			rw, tlsDone = tc, true
		case codeGSSENCRequest:
			if _, err := rw.Write([]byte{'N'}); err != nil {
				return
			}
		case codeCancelRequest:
			if len(body) == 12 {
				s.cancelRequest(binary.BigEndian.Uint32(body[4:]), binary.BigEndian.Uint32(body[8:]))
			}
			return
		case protocol30:
			m := &pgproto3.StartupMessage{}
			if err := m.Decode(body); err != nil {
				writeFatal(rw, fatal(sqlerr.ProtocolViolation, "invalid startup packet layout: %v", err))
				return
			}
			st = m
		default:
			major, minor := code>>16, code&0xffff
			writeFatal(rw, fatal(sqlerr.FeatureNotSupported,
				"unsupported frontend protocol %d.%d: server supports 3.0 to 3.0", major, minor))
			return
		}
	}
	if s.closing.Load() {
		writeFatal(rw, fatal(sqlerr.AdminShutdown, "the database system is shutting down"))
		return
	}
	user := st.Parameters["user"]
	if user == "" {
		writeFatal(rw, fatal(sqlerr.InvalidAuthorization, "no PostgreSQL user name specified in startup packet"))
		return
	}
	if s.active.Add(1) > int64(s.cfg.MaxConns) {
		s.active.Add(-1)
		if s.cfg.Metrics != nil {
			s.cfg.Metrics.ConnRejected(string(sqlerr.TooManyConnections))
		}
		writeFatal(rw, fatal(sqlerr.TooManyConnections, "sorry, too many clients already"))
		return
	}
	defer s.active.Add(-1)
	if s.cfg.Metrics != nil {
		s.cfg.Metrics.ConnOpened()
		defer s.cfg.Metrics.ConnClosed()
	}
	be := pgproto3.NewBackend(rw, rw)
	be.SetMaxBodyLen(s.cfg.MaxMessageSize)
	if err := s.authenticate(rw, be, user, nc.RemoteAddr()); err != nil {
		if s.cfg.Metrics != nil {
			s.cfg.Metrics.ConnRejected(string(sqlerr.CodeOf(err)))
		}
		writeFatal(rw, sqlerr.From(err))
		return
	}
	c := &conn{srv: s, nc: rw, be: be, key: BackendKey{PID: s.nextPID.Add(1), Secret: randUint32()}}
	c.w = &ResultWriter{c: c}
	database := st.Parameters["database"]
	if database == "" {
		database = user
	}
	startup := &Startup{User: user, Database: database, Params: st.Parameters, RemoteAddr: nc.RemoteAddr().String(), TLS: tlsDone}
	h, status, err := s.sessions.NewSession(context.Background(), startup, c.key, c)
	if err != nil {
		writeFatal(rw, sqlerr.From(err))
		return
	}
	c.h = h
	defer h.Terminate()
	_ = nc.SetDeadline(time.Time{})
	c.w.send(&pgproto3.AuthenticationOk{})
	for _, kv := range status {
		c.w.send(&pgproto3.ParameterStatus{Name: kv[0], Value: kv[1]})
	}
	c.w.send(&pgproto3.BackendKeyData{ProcessID: c.key.PID, SecretKey: binary.BigEndian.AppendUint32(nil, c.key.Secret)})
	c.w.send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
	// Registered before the client hears ReadyForQuery: from then on its
	// pid may be cancelled or terminated by another session.
	s.register(c)
	defer s.unregister(c)
	if err := c.w.Flush(); err != nil {
		return
	}
	c.loop()
}

// authenticate runs the configured password exchange.
func (s *Server) authenticate(rw net.Conn, be *pgproto3.Backend, user string, remote net.Addr) error {
	method := s.cfg.Auth
	if method == AuthTrust && !s.cfg.TrustRemote && !isLoopback(remote) {
		method = AuthSCRAM
	}
	verifier, ok := s.pw.Login(user)
	failed := fatal(sqlerr.InvalidPassword, "password authentication failed for user \"%s\"", user)
	if method == AuthTrust {
		if !ok {
			return fatal(sqlerr.InvalidAuthorization, "role \"%s\" does not exist", user)
		}
		return nil
	}
	send := func(m pgproto3.BackendMessage) error {
		b, err := m.Encode(nil)
		if err != nil {
			return err
		}
		_, err = rw.Write(b)
		return err
	}
	if method == AuthPassword {
		if err := be.SetAuthType(pgproto3.AuthTypeCleartextPassword); err != nil {
			return err
		}
		if err := send(&pgproto3.AuthenticationCleartextPassword{}); err != nil {
			return err
		}
		msg, err := be.Receive()
		if err != nil {
			return fatal(sqlerr.ProtocolViolation, "expected password response")
		}
		pm, isPM := msg.(*pgproto3.PasswordMessage)
		if !isPM {
			return fatal(sqlerr.ProtocolViolation, "expected password response, got message type %c", typeByte(msg))
		}
		if !ok || verifier == "" || !VerifyPassword(verifier, pm.Password) {
			return failed
		}
		return nil
	}
	// SCRAM-SHA-256 (also for md5, since stored secrets are SCRAM verifiers).
	sc, err := newScramServer(user, verifier, ok && verifier != "")
	if err != nil {
		return err
	}
	if err := be.SetAuthType(pgproto3.AuthTypeSASL); err != nil {
		return err
	}
	if err := send(&pgproto3.AuthenticationSASL{AuthMechanisms: []string{"SCRAM-SHA-256"}}); err != nil {
		return err
	}
	msg, err := be.Receive()
	if err != nil {
		return fatal(sqlerr.ProtocolViolation, "expected SASL response")
	}
	ir, isIR := msg.(*pgproto3.SASLInitialResponse)
	if !isIR {
		return fatal(sqlerr.ProtocolViolation, "expected SASL response, got message type %c", typeByte(msg))
	}
	if ir.AuthMechanism != "SCRAM-SHA-256" {
		return fatal(sqlerr.ProtocolViolation, "client selected an invalid SASL authentication mechanism")
	}
	first, err := sc.clientFirst(string(ir.Data))
	if err != nil {
		return err
	}
	if err := be.SetAuthType(pgproto3.AuthTypeSASLContinue); err != nil {
		return err
	}
	if err := send(&pgproto3.AuthenticationSASLContinue{Data: []byte(first)}); err != nil {
		return err
	}
	msg, err = be.Receive()
	if err != nil {
		return fatal(sqlerr.ProtocolViolation, "expected SASL response")
	}
	rsp, isRsp := msg.(*pgproto3.SASLResponse)
	if !isRsp {
		return fatal(sqlerr.ProtocolViolation, "expected SASL response, got message type %c", typeByte(msg))
	}
	final, err := sc.clientFinal(string(rsp.Data))
	if err != nil {
		if errors.Is(err, errBadProof) {
			return failed
		}
		return err
	}
	return send(&pgproto3.AuthenticationSASLFinal{Data: []byte(final)})
}

// ParseOptions splits a libpq "options" startup parameter ("-c a=b --c=d")
// into settings.
func ParseOptions(opts string) ([][2]string, error) {
	var out [][2]string
	f := splitOptions(opts)
	for i := 0; i < len(f); i++ {
		a := f[i]
		var kv string
		switch {
		case a == "-c" && i+1 < len(f):
			i++
			kv = f[i]
		case strings.HasPrefix(a, "-c"):
			kv = a[2:]
		case strings.HasPrefix(a, "--"):
			kv = a[2:]
		default:
			return nil, fatal(sqlerr.ProtocolViolation, "invalid command-line argument for server process: %s", a).
				WithHint("Try \"postgres --help\" for more information.")
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fatal(sqlerr.SyntaxError, "-c %s requires a value", k)
		}
		out = append(out, [2]string{strings.ReplaceAll(k, "-", "_"), v})
	}
	return out, nil
}

// splitOptions splits on unescaped whitespace; backslash escapes the next byte.
func splitOptions(s string) []string {
	var out []string
	var cur strings.Builder
	have := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			have = true
		case c == ' ' || c == '\t' || c == '\n':
			if have {
				out = append(out, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteByte(c)
			have = true
		}
	}
	if have {
		out = append(out, cur.String())
	}
	return out
}
