package testsql

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/server/pgwire"
	"github.com/sluicedb/sluice/server/session"
)

// Server is an in-process sluice listening on a loopback port.
type Server struct {
	Addr  string
	Host  string
	Port  int
	Roles *catalog.Roles
	Wire  *pgwire.Server
	Dir   string
	// Manager is the session manager (its catalog and result cache).
	Manager *session.Manager
}

// Option adjusts a test server's configuration.
type Option func(*pgwire.Config)

// WithAuth sets the authentication method.
func WithAuth(m pgwire.AuthMethod) Option { return func(c *pgwire.Config) { c.Auth = m } }

// WithTLS enables TLS.
func WithTLS(t *tls.Config) Option { return func(c *pgwire.Config) { c.TLS = t } }

// WithMaxMessageSize sets the frame size limit.
func WithMaxMessageSize(n int) Option { return func(c *pgwire.Config) { c.MaxMessageSize = n } }

// WithMaxConns sets the connection limit.
func WithMaxConns(n int) Option { return func(c *pgwire.Config) { c.MaxConns = n } }

// WithAuthTimeout sets the startup/authentication timeout.
func WithAuthTimeout(d time.Duration) Option { return func(c *pgwire.Config) { c.AuthTimeout = d } }

// Start runs a server with a scratch data directory until the test ends.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	srv, stop, err := StartDir(tb.TempDir(), opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(stop)
	return srv
}

// StartDir runs a server on a data directory (for tests and benchmark
// programs); stop shuts it down.
func StartDir(dir string, opts ...Option) (srv *Server, stop func(), err error) {
	roles, err := catalog.OpenRoles(dir)
	if err != nil {
		return nil, nil, err
	}
	level := slog.LevelError
	if os.Getenv("SLUICE_TEST_LOG") != "" {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	cfg := pgwire.Config{Auth: pgwire.AuthTrust, Logger: log}
	for _, o := range opts {
		o(&cfg)
	}
	mgr := session.NewManager(roles, "test", log, session.NewMetrics(nil))
	store, err := catalog.OpenStore(dir)
	if err != nil {
		return nil, nil, err
	}
	mgr.Catalog, mgr.Warehouse = store, filepath.Join(dir, "warehouse")
	ws := pgwire.NewServer(cfg, mgr, roles)
	mgr.Signaler = ws
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	go func() { _ = ws.Serve(ln) }()
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ws.Shutdown(ctx)
	}
	addr := ln.Addr().(*net.TCPAddr)
	return &Server{Addr: addr.String(), Host: "127.0.0.1", Port: addr.Port, Roles: roles, Wire: ws, Dir: dir, Manager: mgr}, stop, nil
}

// URL returns a libpq-style connection URL for user (password may be empty).
func (s *Server) URL(user, password string) string {
	u := &url.URL{Scheme: "postgres", User: url.User(user), Host: s.Addr, Path: "/sluice", RawQuery: "sslmode=disable"}
	if password != "" {
		u.User = url.UserPassword(user, password)
	}
	return u.String()
}

// SetPassword gives a role a password (creating a login role if needed).
func (s *Server) SetPassword(tb testing.TB, user, password string) {
	tb.Helper()
	v := pgwire.MakeVerifier(password)
	if _, ok := s.Roles.Get(user); !ok {
		if err := s.Roles.Create(catalog.Role{Name: user, Login: true, Verifier: v}); err != nil {
			tb.Fatal(err)
		}
		return
	}
	if err := s.Roles.Alter(user, func(r *catalog.Role) { r.Verifier = v }); err != nil {
		tb.Fatal(err)
	}
}

// InCI reports whether tests run under CI, where missing services fail.
func InCI() bool { return os.Getenv("CI") == "true" || os.Getenv("CI") == "1" }

// Need skips (outside CI) or fails (in CI) a test whose prerequisite is missing.
func Need(tb testing.TB, ok bool, what string) {
	tb.Helper()
	if ok {
		return
	}
	if InCI() {
		tb.Fatalf("missing prerequisite under CI: %s", what)
	}
	tb.Skipf("skipping: %s (install it, see .ci/run)", what)
}

// PostgresURL is the oracle PostgreSQL's URL.
func PostgresURL() string {
	return fmt.Sprintf("postgres://postgres@%s/test?sslmode=disable", PostgresAddr())
}

// PostgresAddr is the oracle PostgreSQL's host:port.
func PostgresAddr() string {
	host, port := os.Getenv("PGHOST"), os.Getenv("PGPORT")
	if host == "" || host[0] == '/' {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "5432"
	}
	return net.JoinHostPort(host, port)
}

// WaitBusy waits until n connections are running a statement (or fails the
// test after 10 s), so a cancel is sent while the statement runs.
func (s *Server) WaitBusy(tb testing.TB, n int) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.Wire.Busy() < n {
		if time.Now().After(deadline) {
			tb.Fatalf("no statement started running")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
