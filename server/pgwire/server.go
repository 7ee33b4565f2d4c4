package pgwire

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// AuthMethod is how passwords are checked.
type AuthMethod string

// Authentication methods; md5 uses SCRAM when the stored secret is a SCRAM
// verifier, exactly as PostgreSQL does.
const (
	AuthTrust    AuthMethod = "trust"
	AuthPassword AuthMethod = "password"
	AuthMD5      AuthMethod = "md5"
	AuthSCRAM    AuthMethod = "scram"
)

// Passwords looks up a role's login facts for authentication.
type Passwords interface {
	// Login returns the role's SCRAM-SHA-256 verifier ("" when it has no
	// password) and whether it exists and may log in.
	Login(user string) (verifier string, ok bool)
}

// Metrics receives connection-level events.
type Metrics interface {
	ConnOpened()
	ConnClosed()
	ConnRejected(code string)
}

// Config configures a Server.
type Config struct {
	Auth           AuthMethod
	TrustRemote    bool // allow trust for non-loopback peers (default: they must use SCRAM)
	TLS            *tls.Config
	MaxConns       int
	MaxMessageSize int           // bytes; frames above it are 08P01 (default 64 MiB)
	AuthTimeout    time.Duration // default 60s
	Logger         *slog.Logger
	Metrics        Metrics
}

// Server accepts PostgreSQL connections.
type Server struct {
	cfg      Config
	sessions Sessions
	pw       Passwords

	mu      sync.Mutex
	conns   map[uint32]*conn
	nextPID atomic.Uint32
	active  atomic.Int64
	lns     []net.Listener
	closing atomic.Bool
	wg      sync.WaitGroup
}

// NewServer returns a server that creates sessions with s and checks passwords with pw.
func NewServer(cfg Config, s Sessions, pw Passwords) *Server {
	if cfg.MaxMessageSize <= 0 {
		cfg.MaxMessageSize = 64 << 20
	}
	if cfg.AuthTimeout <= 0 {
		cfg.AuthTimeout = time.Minute
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = 100
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Auth == "" {
		cfg.Auth = AuthTrust
	}
	srv := &Server{cfg: cfg, sessions: s, pw: pw, conns: map[uint32]*conn{}}
	var b [2]byte
	_, _ = rand.Read(b[:])
	srv.nextPID.Store(uint32(1000 + binary.BigEndian.Uint16(b[:])%20000))
	return srv
}

// Serve accepts connections on ln until Shutdown or a listener error.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	s.lns = append(s.lns, ln)
	s.mu.Unlock()
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.closing.Load() {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			return err
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serveConn(nc)
		}()
	}
}

// Busy returns how many connections are processing a message right now
// (a statement is running); tests use it to cancel at the right moment.
func (s *Server) Busy() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.conns {
		c.mu.Lock()
		if c.runCancel != nil {
			n++
		}
		c.mu.Unlock()
	}
	return n
}

// ActiveConnections returns the number of open client connections.
func (s *Server) ActiveConnections() int64 { return s.active.Load() }

// Shutdown stops accepting, waits for running statements to finish until ctx
// is done, then cancels them and closes every connection.
func (s *Server) Shutdown(ctx context.Context) {
	s.closing.Store(true)
	s.mu.Lock()
	for _, ln := range s.lns {
		ln.Close()
	}
	all := make([]*conn, 0, len(s.conns))
	for _, c := range s.conns {
		all = append(all, c)
	}
	s.mu.Unlock()
	// Idle connections are told at once; busy ones after their statement.
	for _, c := range all {
		c.shutdownWhenIdle()
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-ctx.Done():
	}
	s.mu.Lock()
	for _, c := range s.conns {
		c.cancel(ErrShutdown)
		c.closeNet()
	}
	s.mu.Unlock()
	<-done
}

func (s *Server) register(c *conn) {
	s.mu.Lock()
	s.conns[c.key.PID] = c
	s.mu.Unlock()
}

func (s *Server) unregister(c *conn) {
	s.mu.Lock()
	if s.conns[c.key.PID] == c {
		delete(s.conns, c.key.PID)
	}
	s.mu.Unlock()
}

// cancelRequest handles a CancelRequest: a matching key cancels the running
// statement; anything else is silently ignored, as in PostgreSQL.
func (s *Server) cancelRequest(pid, secret uint32) {
	s.mu.Lock()
	c := s.conns[pid]
	s.mu.Unlock()
	if c == nil {
		return
	}
	var a, b [4]byte
	binary.BigEndian.PutUint32(a[:], secret)
	binary.BigEndian.PutUint32(b[:], c.key.Secret)
	if subtle.ConstantTimeCompare(a[:], b[:]) == 1 {
		c.cancel(ErrCanceled)
	}
}

// Signal cancels or terminates the connection with pid (pg_cancel_backend,
// pg_terminate_backend); it reports whether such a connection exists.
func (s *Server) Signal(pid uint32, terminate bool) bool {
	s.mu.Lock()
	c := s.conns[pid]
	s.mu.Unlock()
	if c == nil {
		return false
	}
	if terminate {
		c.terminate()
	} else {
		c.cancel(ErrCanceled)
	}
	return true
}

func isLoopback(addr net.Addr) bool {
	switch a := addr.(type) {
	case *net.TCPAddr:
		return a.IP.IsLoopback()
	case *net.UnixAddr:
		return true
	}
	return false
}
