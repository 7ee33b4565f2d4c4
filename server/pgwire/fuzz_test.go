package pgwire_test

import (
	"bytes"
	"encoding/binary"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/server/pgwire"
	"github.com/sluicedb/sluice/server/session"
)

var (
	fuzzOnce sync.Once
	fuzzAddr string
)

// fuzzServer is one real server (real sessions) shared by all fuzz inputs.
func fuzzServer(tb testing.TB) string {
	fuzzOnce.Do(func() {
		roles, err := catalog.OpenRoles("")
		if err != nil {
			tb.Fatal(err)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		mgr := session.NewManager(roles, "fuzz", log, nil)
		srv := pgwire.NewServer(pgwire.Config{Logger: log, MaxMessageSize: 1 << 20, AuthTimeout: 2 * time.Second}, mgr, roles)
		mgr.Signaler = srv
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		go srv.Serve(ln)
		fuzzAddr = ln.Addr().String()
	})
	return fuzzAddr
}

// exchange writes data and reads until the server closes or goes quiet.
func exchange(tb testing.TB, addr string, data []byte) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	defer nc.Close()
	nc.Write(data)
	nc.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	buf := make([]byte, 4096)
	for {
		if _, err := nc.Read(buf); err != nil {
			return
		}
	}
}

func startup() []byte {
	b, _ := (&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters: map[string]string{"user": "sluice", "database": "sluice"}}).Encode(nil)
	return b
}

// FuzzStartup feeds arbitrary bytes as the first packet(s) of a connection.
func FuzzStartup(f *testing.F) {
	f.Add(startup())
	var ssl [8]byte
	binary.BigEndian.PutUint32(ssl[:], 8)
	binary.BigEndian.PutUint32(ssl[4:], 80877103)
	f.Add(append(ssl[:], startup()...))
	f.Add([]byte{0, 0, 0, 16, 4, 210, 22, 46, 0, 0, 0, 1, 0, 0, 0, 2})
	f.Add([]byte{0, 0, 0, 8, 0, 2, 0, 0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	addr := fuzzServer(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		exchange(t, addr, data)
	})
	checkAlive(f, addr)
}

// FuzzMessages feeds arbitrary bytes after a valid startup: the message
// decoder and every handler must answer or hang up, never crash.
func FuzzMessages(f *testing.F) {
	enc := func(ms ...pgproto3.FrontendMessage) []byte {
		var out []byte
		for _, m := range ms {
			out, _ = m.Encode(out)
		}
		return out
	}
	f.Add(enc(&pgproto3.Query{String: "SELECT 1"}))
	f.Add(enc(&pgproto3.Parse{Name: "s", Query: "SELECT $1::int"}, &pgproto3.Bind{PreparedStatement: "s", Parameters: [][]byte{[]byte("1")}},
		&pgproto3.Describe{ObjectType: 'P'}, &pgproto3.Execute{MaxRows: 1}, &pgproto3.Sync{}))
	f.Add(enc(&pgproto3.Bind{PreparedStatement: "", ParameterFormatCodes: []int16{1}, Parameters: [][]byte{{1, 2}}}, &pgproto3.Sync{}))
	f.Add(enc(&pgproto3.Query{String: "COPY (SELECT 1) TO STDOUT"}, &pgproto3.CopyData{Data: []byte("x")}))
	f.Add([]byte{'Q', 0, 0, 0, 4})
	f.Add([]byte{'B', 0, 0, 0, 12, 0, 0, 0, 1, 0, 1, 0xff, 0xff})
	addr := fuzzServer(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		exchange(t, addr, append(startup(), data...))
	})
	checkAlive(f, addr)
}

func checkAlive(tb testing.TB, addr string) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatalf("server down after fuzzing: %v", err)
	}
	defer nc.Close()
	q, _ := (&pgproto3.Query{String: "SELECT 1"}).Encode(nil)
	nc.Write(append(startup(), q...))
	nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, _ := io.ReadAll(io.LimitReader(nc, 4096))
	if !bytes.Contains(got, []byte("SELECT 1")) {
		tb.Fatalf("server did not answer SELECT 1 after fuzzing: %q", got)
	}
}
