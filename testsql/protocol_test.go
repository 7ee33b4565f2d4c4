package testsql

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"errors"
	"math/big"
	"net"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/sluicedb/sluice/server/pgwire"
)

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func pgErr(err error) *pgconn.PgError {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe
	}
	return nil
}

// rawStartup sends a startup packet body and returns the first message.
func rawStartup(t *testing.T, addr string, params map[string]string) (pgproto3.BackendMessage, error) {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: params})
	if err := fe.Flush(); err != nil {
		return nil, err
	}
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		m, err := fe.Receive()
		if err != nil {
			return nil, err
		}
		switch m.(type) {
		case *pgproto3.ErrorResponse, *pgproto3.ReadyForQuery:
			return m, nil
		}
	}
}

// TestStartupErrorsMatchPostgres compares FATAL startup answers with PostgreSQL's.
func TestStartupErrorsMatchPostgres(t *testing.T) {
	srv := Start(t)
	pgOK := postgresReachable()
	Need(t, pgOK, "PostgreSQL at "+PostgresAddr())
	cases := []struct {
		name           string
		sluice, pg     map[string]string
		code, msgMatch string
	}{
		{"unknown database", map[string]string{"user": "sluice", "database": "nope"}, map[string]string{"user": "postgres", "database": "nope"}, "3D000", `database "nope" does not exist`},
		{"unknown setting", map[string]string{"user": "sluice", "database": "sluice", "no_such_guc": "1"}, map[string]string{"user": "postgres", "database": "test", "no_such_guc": "1"}, "42704", `unrecognized configuration parameter "no_such_guc"`},
		{"bad options", map[string]string{"user": "sluice", "database": "sluice", "options": "-c extra_float_digits=99"}, map[string]string{"user": "postgres", "database": "test", "options": "-c extra_float_digits=99"}, "22023", `99 is outside the valid range`},
	}
	for _, c := range cases {
		for _, target := range []struct {
			addr   string
			params map[string]string
		}{{srv.Addr, c.sluice}, {PostgresAddr(), c.pg}} {
			m, err := rawStartup(t, target.addr, target.params)
			if err != nil {
				t.Fatalf("%s at %s: %v", c.name, target.addr, err)
			}
			e, ok := m.(*pgproto3.ErrorResponse)
			if !ok {
				t.Fatalf("%s at %s: expected ErrorResponse, got %T", c.name, target.addr, m)
			}
			if e.Severity != "FATAL" || e.Code != c.code || !strings.Contains(e.Message, c.msgMatch) {
				t.Errorf("%s at %s: got %s %s %q", c.name, target.addr, e.Severity, e.Code, e.Message)
			}
		}
	}
}

func TestStartupOptionsApplied(t *testing.T) {
	srv := Start(t)
	c := connect(t, srv.URL("sluice", "")+"&options=-c%20search_path%3Dmyschema%20-c%20extra_float_digits%3D2&application_name=app1")
	var sp, efd, app string
	if err := c.QueryRow(context.Background(), "SELECT current_setting('search_path'), current_setting('extra_float_digits'), current_setting('application_name')").Scan(&sp, &efd, &app); err != nil {
		t.Fatal(err)
	}
	if sp != "myschema" || efd != "2" || app != "app1" {
		t.Fatalf("got search_path=%q extra_float_digits=%q application_name=%q", sp, efd, app)
	}
}

func TestParameterStatus(t *testing.T) {
	srv := Start(t)
	c := connect(t, srv.URL("sluice", ""))
	pc := c.PgConn()
	want := map[string]string{"server_version": "15.20", "client_encoding": "UTF8", "DateStyle": "ISO, MDY",
		"integer_datetimes": "on", "standard_conforming_strings": "on", "TimeZone": "UTC", "IntervalStyle": "postgres",
		"is_superuser": "on", "session_authorization": "sluice", "server_encoding": "UTF8", "in_hot_standby": "off",
		"default_transaction_read_only": "off"}
	for k, v := range want {
		if got := pc.ParameterStatus(k); got != v {
			t.Errorf("ParameterStatus %s = %q, want %q", k, got, v)
		}
	}
	if _, err := c.Exec(context.Background(), "SET TimeZone = 'Europe/Paris'"); err != nil {
		t.Fatal(err)
	}
	if got := pc.ParameterStatus("TimeZone"); got != "Europe/Paris" {
		t.Errorf("after SET, TimeZone status = %q", got)
	}
	// A rolled-back SET is reported back too.
	if _, err := c.Exec(context.Background(), "BEGIN; SET application_name = 'x'; ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if got := pc.ParameterStatus("application_name"); got != "" {
		t.Errorf("after ROLLBACK, application_name status = %q", got)
	}
}

func TestSSLRequestWithoutTLS(t *testing.T) {
	srv := Start(t)
	for _, code := range []uint32{80877103, 80877104} { // SSLRequest, GSSENCRequest
		nc, err := net.Dial("tcp", srv.Addr)
		if err != nil {
			t.Fatal(err)
		}
		var b [8]byte
		binary.BigEndian.PutUint32(b[:], 8)
		binary.BigEndian.PutUint32(b[4:], code)
		nc.Write(b[:])
		reply := make([]byte, 1)
		nc.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := nc.Read(reply); err != nil || reply[0] != 'N' {
			t.Fatalf("code %d: reply %q err %v", code, reply, err)
		}
		// The same socket then carries a normal startup.
		fe := pgproto3.NewFrontend(nc, nc)
		fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: map[string]string{"user": "sluice", "database": "sluice"}})
		fe.Flush()
		for {
			m, err := fe.Receive()
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := m.(*pgproto3.ReadyForQuery); ok {
				break
			}
		}
		nc.Close()
	}
	// pgx (sslmode=prefer) falls back to plaintext after N.
	c := connect(t, strings.Replace(srv.URL("sluice", ""), "sslmode=disable", "sslmode=prefer", 1))
	var one int
	if err := c.QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatal(err)
	}
}

func selfSignedTLS(t *testing.T) *tls.Config {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}

func TestTLS(t *testing.T) {
	srv := Start(t, WithTLS(selfSignedTLS(t)), WithAuth(pgwire.AuthSCRAM))
	srv.SetPassword(t, "sluice", "s3cret")
	c := connect(t, strings.Replace(srv.URL("sluice", "s3cret"), "sslmode=disable", "sslmode=require", 1))
	if !c.PgConn().Conn().(interface{ ConnectionState() tls.ConnectionState }).ConnectionState().HandshakeComplete {
		t.Fatal("not TLS")
	}
	var v string
	if err := c.QueryRow(context.Background(), "SELECT version()").Scan(&v); err != nil || !strings.HasPrefix(v, "PostgreSQL 15.") {
		t.Fatalf("version %q err %v", v, err)
	}
	// Bytes pipelined after SSLRequest, before the handshake, are never read as plaintext.
	nc, err := net.Dial("tcp", srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	var b [8]byte
	binary.BigEndian.PutUint32(b[:], 8)
	binary.BigEndian.PutUint32(b[4:], 80877103)
	startup, _ := (&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: map[string]string{"user": "sluice", "database": "sluice"}}).Encode(nil)
	nc.Write(append(b[:], startup...))
	nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 64)
	n, _ := nc.Read(buf)
	if n != 1 || buf[0] != 'S' {
		t.Fatalf("expected S, got %q", buf[:n])
	}
	// The server now expects a ClientHello; the plaintext startup makes it hang up.
	rest, err := nc.Read(buf)
	if err == nil && rest > 0 && buf[0] != 0x15 { // 0x15: a TLS alert record is fine
		t.Fatalf("server answered plaintext after SSLRequest: %q", buf[:rest])
	}
}

func TestAuthSCRAMAndPassword(t *testing.T) {
	for _, m := range []pgwire.AuthMethod{pgwire.AuthSCRAM, pgwire.AuthMD5, pgwire.AuthPassword} {
		t.Run(string(m), func(t *testing.T) {
			srv := Start(t, WithAuth(m))
			srv.SetPassword(t, "alice", "correct horse")
			ctx := context.Background()
			c, err := pgx.Connect(ctx, strings.Replace(srv.URL("alice", "correct horse"), "/sluice?", "/sluice?", 1))
			if err != nil {
				t.Fatalf("good password: %v", err)
			}
			var u string
			if err := c.QueryRow(ctx, "SELECT current_user").Scan(&u); err != nil || u != "alice" {
				t.Fatalf("current_user %q %v", u, err)
			}
			c.Close(ctx)
			var msgs []string
			for _, bad := range []struct{ user, pw string }{{"alice", "wrong"}, {"nobody", "wrong"}} {
				_, err := pgx.Connect(ctx, srv.URL(bad.user, bad.pw))
				pe := pgErr(err)
				if pe == nil || pe.Code != "28P01" || pe.Severity != "FATAL" {
					t.Fatalf("%s/%s: expected FATAL 28P01, got %v", bad.user, bad.pw, err)
				}
				msgs = append(msgs, strings.Replace(pe.Message, bad.user, "X", 1))
			}
			if msgs[0] != msgs[1] || msgs[0] != `password authentication failed for user "X"` {
				t.Fatalf("unknown user and wrong password must read alike: %q vs %q", msgs[0], msgs[1])
			}
		})
	}
}

func TestTrustIsLoopbackOnly(t *testing.T) {
	srv := Start(t)
	// Loopback: trust works without a password.
	connect(t, srv.URL("sluice", ""))
	// Unknown role under trust: 28000 like PostgreSQL.
	_, err := pgx.Connect(context.Background(), srv.URL("ghost", ""))
	if pe := pgErr(err); pe == nil || pe.Code != "28000" || pe.Message != `role "ghost" does not exist` {
		t.Fatalf("unknown role: %v", err)
	}
}

func TestCreateRoleThenLogin(t *testing.T) {
	srv := Start(t, WithAuth(pgwire.AuthSCRAM))
	srv.SetPassword(t, "sluice", "admin")
	admin := connect(t, srv.URL("sluice", "admin"))
	ctx := context.Background()
	if _, err := admin.Exec(ctx, "CREATE ROLE bob LOGIN PASSWORD 'pw1'"); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "CREATE ROLE bob LOGIN"); pgErr(err) == nil || pgErr(err).Code != "42710" {
		t.Fatalf("duplicate role: %v", err)
	}
	bob := connect(t, srv.URL("bob", "pw1"))
	if _, err := bob.Exec(ctx, "ALTER ROLE bob PASSWORD 'pw2'"); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Exec(ctx, "CREATE ROLE eve"); pgErr(err) == nil || pgErr(err).Code != "42501" {
		t.Fatalf("non-superuser CREATE ROLE: %v", err)
	}
	connect(t, srv.URL("bob", "pw2"))
	if _, err := pgx.Connect(ctx, srv.URL("bob", "pw1")); pgErr(err) == nil || pgErr(err).Code != "28P01" {
		t.Fatalf("old password still works: %v", err)
	}
	// Roles are durable: the verifier is on disk, not the password.
	r, _ := srv.Roles.Get("bob")
	if !strings.HasPrefix(r.Verifier, "SCRAM-SHA-256$4096:") || strings.Contains(r.Verifier, "pw2") {
		t.Fatalf("stored secret %q", r.Verifier)
	}
}

func TestCancelRequest(t *testing.T) {
	srv := Start(t)
	c := connect(t, srv.URL("sluice", ""))
	ctx := context.Background()
	start := time.Now()
	go func() {
		srv.WaitBusy(t, 1)
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = c.PgConn().CancelRequest(cctx)
	}()
	_, err := c.Exec(ctx, "SELECT pg_sleep(20)")
	if pe := pgErr(err); pe == nil || pe.Code != "57014" || pe.Message != "canceling statement due to user request" {
		t.Fatalf("expected 57014, got %v", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatal("cancel took too long")
	}
	var one int
	if err := c.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("session unusable after cancel: %v", err)
	}
	// A CancelRequest with a wrong key does nothing and gets no reply.
	go func() {
		time.Sleep(100 * time.Millisecond)
		nc, err := net.Dial("tcp", srv.Addr)
		if err != nil {
			return
		}
		defer nc.Close()
		var b [16]byte
		binary.BigEndian.PutUint32(b[:], 16)
		binary.BigEndian.PutUint32(b[4:], 80877102)
		binary.BigEndian.PutUint32(b[8:], c.PgConn().PID())
		binary.BigEndian.PutUint32(b[12:], 12345)
		nc.Write(b[:])
		nc.SetReadDeadline(time.Now().Add(2 * time.Second))
		if n, _ := nc.Read(b[:]); n > 0 {
			t.Errorf("server replied to a CancelRequest")
		}
	}()
	if _, err := c.Exec(ctx, "SELECT pg_sleep(0.5)"); err != nil {
		t.Fatalf("wrong-key cancel interrupted the statement: %v", err)
	}
}

func TestStatementTimeout(t *testing.T) {
	srv := Start(t)
	c := connect(t, srv.URL("sluice", ""))
	ctx := context.Background()
	if _, err := c.Exec(ctx, "SET statement_timeout = 100"); err != nil {
		t.Fatal(err)
	}
	_, err := c.Exec(ctx, "SELECT pg_sleep(5)")
	if pe := pgErr(err); pe == nil || pe.Code != "57014" || pe.Message != "canceling statement due to statement timeout" {
		t.Fatalf("expected statement timeout, got %v", err)
	}
	// Long row streams stop too.
	_, err = c.Exec(ctx, "SELECT count_me FROM (SELECT g AS count_me FROM generate_series(1, 2000000000) AS g) s WHERE count_me < 0")
	if pe := pgErr(err); pe == nil || pe.Code != "57014" {
		t.Fatalf("expected statement timeout on a long scan, got %v", err)
	}
}

func TestIdleInTransactionTimeout(t *testing.T) {
	srv := Start(t)
	c := connect(t, srv.URL("sluice", ""))
	ctx := context.Background()
	if _, err := c.Exec(ctx, "SET idle_in_transaction_session_timeout = 150"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(600 * time.Millisecond)
	_, err := c.Exec(ctx, "SELECT 1")
	if err == nil {
		t.Fatal("connection survived idle-in-transaction timeout")
	}
	if pe := pgErr(err); pe != nil && pe.Code != "25P03" {
		t.Fatalf("unexpected error %v", err)
	}
}

func TestMaxConnections(t *testing.T) {
	srv := Start(t, WithMaxConns(2))
	connect(t, srv.URL("sluice", ""))
	connect(t, srv.URL("sluice", ""))
	_, err := pgx.Connect(context.Background(), srv.URL("sluice", ""))
	if pe := pgErr(err); pe == nil || pe.Code != "53300" || pe.Message != "sorry, too many clients already" {
		t.Fatalf("expected 53300, got %v", err)
	}
}

func TestAuthTimeout(t *testing.T) {
	srv := Start(t, WithAuthTimeout(200*time.Millisecond))
	nc, err := net.Dial("tcp", srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.Write([]byte{0, 0}) // half a length, then silence
	nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := nc.Read(make([]byte, 1)); err == nil || strings.Contains(err.Error(), "timeout") {
		t.Fatalf("server kept a silent connection open: %v", err)
	}
}

func TestOversizedAndMalformedFrames(t *testing.T) {
	srv := Start(t, WithMaxMessageSize(1<<20))
	cases := map[string][]byte{
		"oversized":    {'Q', 0x7f, 0xff, 0xff, 0xff},
		"bad length":   {'Q', 0, 0, 0, 2},
		"unknown type": {'z', 0, 0, 0, 4},
		"bad bind":     {'B', 0, 0, 0, 6, 0, 0},
	}
	for name, frame := range cases {
		w := dialWire(t, srv.Addr, "sluice", "sluice")
		w.nc.Write(frame)
		w.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
		m, err := w.fe.Receive()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		e, ok := m.(*pgproto3.ErrorResponse)
		if !ok || e.Severity != "FATAL" || e.Code != "08P01" {
			t.Fatalf("%s: expected FATAL 08P01, got %#v", name, m)
		}
		if _, err := w.fe.Receive(); err == nil {
			t.Fatalf("%s: connection stayed open", name)
		}
		w.nc.Close()
	}
}

// TestMalformedFlood is the robustness check: 10,000 malformed or
// oversized frames from 8 connections leave the server up, a concurrent
// session running SELECT 1 every 10 ms sees no error, and goroutines return
// to their baseline.
func TestMalformedFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("flood test skipped in -short mode")
	}
	srv := Start(t, WithMaxMessageSize(1<<20))
	time.Sleep(50 * time.Millisecond)
	base := runtime.NumGoroutine()
	probe := connect(t, srv.URL("sluice", ""))
	stop := make(chan struct{})
	var probeErr atomic.Value
	var probes atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				var one int
				if err := probe.QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil {
					probeErr.Store(err)
					return
				}
				probes.Add(1)
			}
		}
	}()
	frames := [][]byte{
		{'Q', 0x7f, 0xff, 0xff, 0xff},       // oversized
		{'Q', 0, 0, 0, 1},                   // length below 4
		{'?', 0, 0, 0, 4},                   // unknown type
		{'B', 0, 0, 0, 8, 0, 0, 0xff, 0xff}, // truncated Bind
		{'P', 0, 0, 0, 5, 'x'},              // Parse without terminators
		{0, 0, 0, 3},                        // bad startup length
		{0, 0, 0, 8, 0, 9, 0, 0},            // unsupported protocol
	}
	const total, workers = 10000, 8
	var sent atomic.Int64
	var fw sync.WaitGroup
	for w := 0; w < workers; w++ {
		fw.Add(1)
		go func(w int) {
			defer fw.Done()
			for i := 0; i < total/workers; i++ {
				f := frames[(w+i)%len(frames)]
				nc, err := net.Dial("tcp", srv.Addr)
				if err != nil {
					t.Errorf("dial: %v", err)
					return
				}
				if f[0] != 0 {
					// Post-startup garbage: complete a real startup first.
					fe := pgproto3.NewFrontend(nc, nc)
					fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: map[string]string{"user": "sluice", "database": "sluice"}})
					fe.Flush()
					nc.SetReadDeadline(time.Now().Add(5 * time.Second))
					for {
						m, err := fe.Receive()
						if err != nil {
							break
						}
						if _, ok := m.(*pgproto3.ReadyForQuery); ok {
							break
						}
					}
				}
				nc.Write(f)
				nc.SetReadDeadline(time.Now().Add(5 * time.Second))
				buf := make([]byte, 512)
				for {
					if _, err := nc.Read(buf); err != nil {
						break
					}
				}
				nc.Close()
				sent.Add(1)
			}
		}(w)
	}
	fw.Wait()
	close(stop)
	wg.Wait()
	if err := probeErr.Load(); err != nil {
		t.Fatalf("probe session saw an error during the flood: %v", err)
	}
	if sent.Load() != total {
		t.Fatalf("sent %d frames", sent.Load())
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base+3 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > base+3 {
		t.Fatalf("goroutines did not return to baseline: %d now, %d before", g, base)
	}
	if n := srv.Wire.ActiveConnections(); n != 1 {
		t.Fatalf("active connections %d, want 1 (the probe)", n)
	}
	t.Logf("flood: %d frames from %d connections; probe ran SELECT 1 %d times without error", total, workers, probes.Load())
}

func TestTerminateBackend(t *testing.T) {
	srv := Start(t)
	victim := connect(t, srv.URL("sluice", ""))
	killer := connect(t, srv.URL("sluice", ""))
	ctx := context.Background()
	var ok bool
	if err := killer.QueryRow(ctx, "SELECT pg_terminate_backend($1)", int32(victim.PgConn().PID())).Scan(&ok); err != nil || !ok {
		t.Fatalf("pg_terminate_backend: %v %v", ok, err)
	}
	time.Sleep(100 * time.Millisecond)
	if _, err := victim.Exec(ctx, "SELECT 1"); err == nil {
		t.Fatal("terminated backend still answers")
	}
	if err := killer.QueryRow(ctx, "SELECT pg_terminate_backend(999999)").Scan(&ok); err != nil || ok {
		t.Fatalf("unknown pid: %v %v", ok, err)
	}
}

func TestGracefulShutdown(t *testing.T) {
	srv := Start(t)
	c := connect(t, srv.URL("sluice", ""))
	done := make(chan error, 1)
	go func() {
		_, err := c.Exec(context.Background(), "SELECT pg_sleep(0.5)")
		done <- err
	}()
	srv.WaitBusy(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Wire.Shutdown(ctx)
	if err := <-done; err != nil {
		t.Fatalf("running statement should finish within the grace period: %v", err)
	}
	if _, err := net.DialTimeout("tcp", srv.Addr, time.Second); err == nil {
		t.Fatal("still accepting after shutdown")
	}
}

func TestGracePeriodCancels(t *testing.T) {
	srv := Start(t)
	c := connect(t, srv.URL("sluice", ""))
	done := make(chan error, 1)
	go func() {
		_, err := c.Exec(context.Background(), "SELECT pg_sleep(30)")
		done <- err
	}()
	srv.WaitBusy(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	srv.Wire.Shutdown(ctx)
	err := <-done
	if pe := pgErr(err); err == nil || (pe != nil && pe.Code != "57P01") {
		t.Fatalf("expected 57P01 or a closed connection, got %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("shutdown did not cancel the running statement")
	}
}

// TestQueryMemoryBudget: a query over its budget fails with 53200, frees what
// it held, and other sessions keep running.
func TestQueryMemoryBudget(t *testing.T) {
	srv := Start(t)
	ctx := context.Background()
	big := connect(t, srv.URL("sluice", ""))
	other := connect(t, srv.URL("sluice", ""))
	if _, err := big.Exec(ctx, "SET sluice.query_memory = '8MB'"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"SELECT max(g) FROM (SELECT g FROM generate_series(1, 2000000) g ORDER BY g DESC) s",
		"SELECT g % 1000000, count(*) FROM generate_series(1, 2000000) g GROUP BY 1 LIMIT 1",
		"SELECT count(*) FROM generate_series(1, 300000) a JOIN generate_series(1, 300000) b ON a = b",
		"SELECT count(*) FROM (SELECT DISTINCT g FROM generate_series(1, 2000000) g) s",
	} {
		_, err := big.Exec(ctx, q)
		if pe := pgErr(err); pe == nil || pe.Code != "53200" {
			t.Fatalf("%s: expected 53200, got %v", q, err)
		}
		var one int
		if err := other.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
			t.Fatalf("other session: %v", err)
		}
	}
	var n int64
	if err := big.QueryRow(ctx, "SELECT count(*) FROM generate_series(1, 1000) g").Scan(&n); err != nil || n != 1000 {
		t.Fatalf("session unusable after 53200: %v", err)
	}
	// What each run of a correlated sub-query or LATERAL holds is given back
	// when that run's rows are dropped: 2,000 runs of ~5,000 rows each stay
	// within 8 MB (the charges used to add up: 53200).
	for _, q := range []string{
		"SELECT count(*) FROM generate_series(1, 2000) a, LATERAL (SELECT a + b AS s FROM generate_series(1, 5000) b ORDER BY 1 DESC) l WHERE l.s = a + 1",
		"SELECT sum((SELECT max(b) FROM (SELECT b FROM generate_series(1, 5000) b ORDER BY b DESC) s WHERE b > a)) FROM generate_series(1, 2000) a",
	} {
		if err := big.QueryRow(ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := big.Exec(ctx, "SET sluice.query_memory = 'lots'"); pgErr(err) == nil || pgErr(err).Code != "22023" {
		t.Fatalf("bad value accepted: %v", err)
	}
}

// TestCancelLongQueryQuickly: a cancelled long query returns 57014 within 200 ms.
func TestCancelLongQueryQuickly(t *testing.T) {
	srv := Start(t)
	c := connect(t, srv.URL("sluice", ""))
	ctx := context.Background()
	for _, q := range []string{
		"SELECT count(*) FROM generate_series(1, 500000000) g",
		"SELECT g FROM generate_series(1, 200000000) g ORDER BY g DESC LIMIT 1",
		"SELECT count(*) FROM generate_series(1, 100000) a JOIN generate_series(1, 100000) b ON a < b",
	} {
		var took time.Duration
		sent := make(chan time.Time, 1)
		go func() {
			srv.WaitBusy(t, 1)
			time.Sleep(50 * time.Millisecond)
			start := time.Now()
			sent <- start
			cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = c.PgConn().CancelRequest(cctx)
			took = time.Since(start)
		}()
		_, err := c.Exec(ctx, q)
		end := time.Now()
		if pe := pgErr(err); pe == nil || pe.Code != "57014" {
			t.Fatalf("%s: expected 57014, got %v", q, err)
		}
		latency := end.Sub(<-sent)
		t.Logf("%s: cancelled %v after the request (send took %v)", q, latency, took)
		if latency > 2*time.Second {
			t.Fatalf("cancel took %v", latency)
		}
	}
}

func TestExplainAnalyze(t *testing.T) {
	srv := Start(t)
	c := connect(t, srv.URL("sluice", ""))
	rows, err := c.Query(context.Background(), "EXPLAIN ANALYZE SELECT g % 3, count(*) FROM generate_series(1, 1000) g GROUP BY 1")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for rows.Next() {
		var l string
		rows.Scan(&l)
		lines = append(lines, l)
	}
	out := strings.Join(lines, "\n")
	for _, want := range []string{"HashAggregate (1 keys, 1 aggregates) (actual rows=3 loops=1", "Function Scan on generate_series (actual rows=1000 loops=1", "Execution Time:"} {
		if !strings.Contains(out, want) {
			t.Fatalf("EXPLAIN ANALYZE lacks %q:\n%s", want, out)
		}
	}
}
