// Package main is the sluice command, the sluice server: a PostgreSQL-compatible federated
// query gateway.
//
//	sluice serve [--listen 127.0.0.1:5433] [--data-dir ./sluice-data] [--http 127.0.0.1:8433] …
//	sluice version
//
// Every flag can also be set with an environment variable SLUICE_<FLAG>
// (upper case, dashes as underscores): SLUICE_LISTEN, SLUICE_DATA_DIR, …
// A flag on the command line wins over the environment.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // TimeZone names work on machines without /usr/share/zoneinfo

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/server/pgwire"
	"github.com/sluicedb/sluice/server/session"
)

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = "0.1.0-dev"

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		if err := serve(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "sluice:", err)
			os.Exit(1)
		}
	case "version", "--version", "-v":
		fmt.Printf("sluice %s (PostgreSQL %s protocol)\n", Version, session.ServerVersion)
	case "help", "-h", "--help":
		usage()
	default:
		fmt.Fprintf(os.Stderr, "sluice: unknown command %q\n", os.Args[1])
		usage()
		os.Exit(2)
	}
}

func usage() {
	fmt.Fprint(os.Stderr, `usage: sluice <command> [flags]

commands:
  serve     run the server (sluice serve -h for flags)
  version   print the version
`)
}

type config struct {
	listen, dataDir, httpAddr string
	auth                      string
	trustRemote               bool
	tlsCert, tlsKey           string
	maxConns                  int
	maxMessage                int
	authTimeout, grace        time.Duration
	superPassword             string
	queryMemory               string
	logLevel, logFormat       string
}

func parseFlags(args []string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&c.listen, "listen", "127.0.0.1:5433", "PostgreSQL wire protocol address")
	fs.StringVar(&c.dataDir, "data-dir", "./sluice-data", "data directory (catalog, warehouse)")
	fs.StringVar(&c.httpAddr, "http", "127.0.0.1:8433", "HTTP address for /healthz, /readyz and /metrics (empty: off)")
	fs.StringVar(&c.auth, "auth", "trust", "authentication: trust|scram|md5|password (trust applies to loopback clients only)")
	fs.BoolVar(&c.trustRemote, "trust-remote", false, "let trust authentication apply to non-loopback clients too")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "TLS certificate file (PEM); enables SSL")
	fs.StringVar(&c.tlsKey, "tls-key", "", "TLS private key file (PEM)")
	fs.IntVar(&c.maxConns, "max-connections", 100, "maximum concurrent client connections")
	fs.IntVar(&c.maxMessage, "max-message-size", 64<<20, "largest protocol message accepted, in bytes")
	fs.DurationVar(&c.authTimeout, "auth-timeout", time.Minute, "time allowed to complete startup and authentication")
	fs.DurationVar(&c.grace, "shutdown-grace", 10*time.Second, "how long running statements may finish after SIGTERM before they are cancelled")
	fs.StringVar(&c.superPassword, "superuser-password", "", "set the password of the bootstrap superuser \"sluice\" at startup")
	fs.StringVar(&c.queryMemory, "query-memory", "1GB", "default memory budget of one query (sluice.query_memory); over it a query fails with 53200")
	fs.StringVar(&c.logLevel, "log-level", "info", "debug|info|warn|error")
	fs.StringVar(&c.logFormat, "log-format", "text", "text|json")
	// Environment first, so explicit flags override it.
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		env := "SLUICE_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if err := f.Value.Set(v); err != nil && envErr == nil {
				envErr = fmt.Errorf("%s: %w", env, err)
			}
		}
	})
	if envErr != nil {
		return nil, envErr
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	switch pgwire.AuthMethod(c.auth) {
	case pgwire.AuthTrust, pgwire.AuthSCRAM, pgwire.AuthMD5, pgwire.AuthPassword:
	default:
		return nil, fmt.Errorf("--auth must be trust, scram, md5 or password, not %q", c.auth)
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return nil, errors.New("--tls-cert and --tls-key go together")
	}
	return c, nil
}

func newLogger(c *config) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.logLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if c.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

func serve(args []string) error {
	c, err := parseFlags(args)
	if err != nil {
		return err
	}
	log := newLogger(c)
	slog.SetDefault(log)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, c, log, nil)
}

// run serves until ctx is done, then shuts down gracefully. ready, if set,
// receives the bound PostgreSQL and HTTP addresses.
func run(ctx context.Context, c *config, log *slog.Logger, ready func(pgAddr, httpAddr string)) error {
	session.TuneGC()
	if err := os.MkdirAll(filepath.Join(c.dataDir, "warehouse"), 0o700); err != nil {
		return err
	}
	roles, err := catalog.OpenRoles(filepath.Join(c.dataDir, "catalog"))
	if err != nil {
		return err
	}
	if c.superPassword != "" {
		v := pgwire.MakeVerifier(c.superPassword)
		if err := roles.Alter(catalog.BootstrapUser, func(r *catalog.Role) { r.Verifier = v }); err != nil {
			return err
		}
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := session.NewMetrics(reg)
	store, err := catalog.OpenStore(filepath.Join(c.dataDir, "catalog"))
	if err != nil {
		return err
	}
	mgr := session.NewManager(roles, Version, log, metrics)
	mgr.QueryMemory = c.queryMemory
	mgr.Catalog, mgr.Warehouse = store, filepath.Join(c.dataDir, "warehouse")
	var tlsCfg *tls.Config
	if c.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
		if err != nil {
			return fmt.Errorf("loading TLS key pair: %w", err)
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	srv := pgwire.NewServer(pgwire.Config{
		Auth: pgwire.AuthMethod(c.auth), TrustRemote: c.trustRemote, TLS: tlsCfg, MaxConns: c.maxConns,
		MaxMessageSize: c.maxMessage, AuthTimeout: c.authTimeout, Logger: log, Metrics: metrics,
	}, mgr, roles)
	mgr.Signaler = srv
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return err
	}
	readyCh := make(chan struct{})
	var httpSrv *http.Server
	httpAddr := ""
	if c.httpAddr != "" {
		mux := http.NewServeMux()
		mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
		mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
			select {
			case <-readyCh:
				fmt.Fprintln(w, "ready")
			default:
				http.Error(w, "starting", http.StatusServiceUnavailable)
			}
		})
		mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		hl, err := net.Listen("tcp", c.httpAddr)
		if err != nil {
			ln.Close()
			return err
		}
		httpSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = httpSrv.Serve(hl) }()
		httpAddr = hl.Addr().String()
		log.Info("http listening", "addr", httpAddr)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	close(readyCh)
	if ready != nil {
		ready(ln.Addr().String(), httpAddr)
	}
	log.Info("sluice ready", "version", Version, "listen", ln.Addr().String(), "data_dir", c.dataDir, "auth", c.auth, "tls", tlsCfg != nil)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", c.grace.String())
	sctx, cancel := context.WithTimeout(context.Background(), c.grace)
	defer cancel()
	if httpSrv != nil {
		_ = httpSrv.Shutdown(sctx)
	}
	srv.Shutdown(sctx)
	log.Info("stopped")
	return nil
}
