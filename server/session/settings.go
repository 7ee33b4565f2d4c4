package session

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// ServerVersion is the PostgreSQL version sluice claims (clients pick their
// SQL dialect from it; see research/clients.md).
const (
	ServerVersion    = "15.20"
	ServerVersionNum = "150020"
)

// setting describes one configuration parameter.
type setting struct {
	name     string // canonical spelling (SHOW ALL, ParameterStatus)
	def      string
	report   bool // sent as ParameterStatus
	readOnly bool
	desc     string
	check    func(string) (string, error) // normalizes or rejects a value
}

var settingList = []*setting{
	{name: "application_name", report: true, desc: "Sets the application name to be reported in statistics and logs."},
	{name: "client_encoding", def: "UTF8", report: true, check: checkEncoding, desc: "Sets the client's character set encoding."},
	{name: "DateStyle", def: "ISO, MDY", report: true, check: checkDateStyle, desc: "Sets the display format for date and time values."},
	{name: "default_transaction_read_only", def: "off", report: true, check: checkBool, desc: "Sets the default read-only status of new transactions."},
	{name: "in_hot_standby", def: "off", report: true, readOnly: true, desc: "Shows whether hot standby is currently active."},
	{name: "integer_datetimes", def: "on", report: true, readOnly: true, desc: "Shows whether datetimes are integer based."},
	{name: "IntervalStyle", def: "postgres", report: true, check: checkIntervalStyle, desc: "Sets the display format for interval values."},
	{name: "is_superuser", def: "off", report: true, readOnly: true, desc: "Shows whether the current user is a superuser."},
	{name: "server_encoding", def: "UTF8", report: true, readOnly: true, desc: "Shows the server (database) character set encoding."},
	{name: "server_version", def: ServerVersion, report: true, readOnly: true, desc: "Shows the server version."},
	{name: "session_authorization", report: true, desc: "Sets the session user name."},
	{name: "standard_conforming_strings", def: "on", report: true, check: checkSCS, desc: "Causes '...' strings to treat backslashes literally."},
	{name: "TimeZone", def: "UTC", report: true, check: checkTimeZone, desc: "Sets the time zone for displaying and interpreting time stamps."},
	{name: "server_version_num", def: ServerVersionNum, readOnly: true, desc: "Shows the server version as an integer."},
	{name: "search_path", def: `"$user", public`, desc: "Sets the schema search order for names that are not schema-qualified."},
	{name: "extra_float_digits", def: "1", check: checkIntRange(-15, 3), desc: "Sets the number of digits displayed for floating-point values."},
	{name: "statement_timeout", def: "0", check: checkDuration, desc: "Sets the maximum allowed duration of any statement."},
	{name: "lock_timeout", def: "0", check: checkDuration, desc: "Sets the maximum allowed duration of any wait for a lock."},
	{name: "idle_in_transaction_session_timeout", def: "0", check: checkDuration, desc: "Sets the maximum allowed idle time between queries, when in a transaction."},
	{name: "idle_session_timeout", def: "0", check: checkDuration, desc: "Sets the maximum allowed idle time between queries, when not in a transaction."},
	{name: "transaction_isolation", def: "read committed", check: checkIsolation, desc: "Sets the current transaction's isolation level."},
	{name: "default_transaction_isolation", def: "read committed", check: checkIsolation, desc: "Sets the transaction isolation level of each new transaction."},
	{name: "transaction_read_only", def: "off", check: checkBool, desc: "Sets the current transaction's read-only status."},
	{name: "transaction_deferrable", def: "off", check: checkBool, desc: "Whether to defer a read-only serializable transaction until it can be executed with no possible serialization failures."},
	{name: "default_transaction_deferrable", def: "off", check: checkBool, desc: "Sets the default deferrable status of new transactions."},
	{name: "max_identifier_length", def: "63", readOnly: true, desc: "Shows the maximum identifier length."},
	{name: "max_index_keys", def: "32", readOnly: true, desc: "Shows the maximum number of index keys."},
	{name: "block_size", def: "8192", readOnly: true, desc: "Shows the size of a disk block."},
	{name: "bytea_output", def: "hex", check: checkEnum("hex"), desc: "Sets the output format for bytea."},
	{name: "client_min_messages", def: "notice", check: checkEnum("debug5", "debug4", "debug3", "debug2", "debug1", "log", "notice", "warning", "error"), desc: "Sets the message levels that are sent to the client."},
	{name: "lc_messages", def: "C.UTF-8", desc: "Sets the language in which messages are displayed."},
	{name: "lc_monetary", def: "C.UTF-8", desc: "Sets the locale for formatting monetary amounts."},
	{name: "lc_numeric", def: "C.UTF-8", desc: "Sets the locale for formatting numbers."},
	{name: "lc_time", def: "C.UTF-8", desc: "Sets the locale for formatting date and time values."},
	{name: "lc_collate", def: "C.UTF-8", readOnly: true, desc: "Shows the collation order locale."},
	{name: "lc_ctype", def: "C.UTF-8", readOnly: true, desc: "Shows the character classification and case conversion locale."},
	{name: "row_security", def: "on", check: checkBool, desc: "Enable row security."},
	{name: "synchronous_commit", def: "on", desc: "Sets the current transaction's synchronization level."},
	{name: "work_mem", def: "4MB", desc: "Sets the maximum memory to be used for query workspaces."},
	{name: "role", def: "none", desc: "Sets the current role."},
	{name: "escape_string_warning", def: "on", check: checkBool, desc: "Warn about backslash escapes in ordinary string literals."},
	{name: "timezone_abbreviations", def: "Default", desc: "Selects a file of time zone abbreviations."},
	{name: "geqo", def: "on", check: checkBool, desc: "Enables genetic query optimization."},
	{name: "jit", def: "off", check: checkBool, desc: "Allow JIT compilation."},
	{name: "max_connections", def: "100", readOnly: true, desc: "Sets the maximum number of concurrent connections."},
	{name: "port", def: "5433", readOnly: true, desc: "Sets the TCP port the server listens on."},
	{name: "ssl", def: "off", readOnly: true, desc: "Enables SSL connections."},
	{name: "sluice.disabled_rules", def: "", desc: "Turns off planner rewrite rules by name (comma-separated, or all)."},
	{name: "sluice.result_cache", def: "on", check: checkBool, desc: "Answers repeated queries over lake tables from the result cache while their inputs are unchanged."},
	{name: "sluice.query_memory", def: "1GB", check: checkMemory, desc: "Sets the memory a query may hold (sort, hash tables, materialized rows) before it fails with 53200."},
	{name: "password_encryption", def: "scram-sha-256", check: checkEnum("scram-sha-256"), desc: "Chooses the algorithm for encrypting passwords."},
}

var settingsByKey = func() map[string]*setting {
	m := map[string]*setting{}
	for _, s := range settingList {
		m[strings.ToLower(s.name)] = s
	}
	return m
}()

// settingNames lists canonical names, sorted, for SHOW ALL.
func settingNames() []string {
	out := make([]string, 0, len(settingList))
	for _, s := range settingList {
		out = append(out, s.name)
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i]) < strings.ToLower(out[j]) })
	return out
}

func unrecognized(name string) *sqlerr.Error {
	return sqlerr.New(sqlerr.UndefinedObject, "unrecognized configuration parameter \"%s\"", name)
}

func invalidValue(name, v string) *sqlerr.Error {
	return sqlerr.New(sqlerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, v)
}

func checkBool(v string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "on", "true", "yes", "1", "t", "y":
		return "on", nil
	case "off", "false", "no", "0", "f", "n":
		return "off", nil
	}
	return "", sqlerr.New(sqlerr.InvalidParameterValue, "parameter requires a Boolean value")
}

func checkEncoding(v string) (string, error) {
	switch strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(v), "-", "")) {
	case "UTF8", "UNICODE":
		return "UTF8", nil
	}
	return "", sqlerr.New(sqlerr.FeatureNotSupported, "conversion between %s and UTF8 is not supported", v).
		WithHint("sluice speaks UTF8 only; set client_encoding to UTF8.")
}

func checkDateStyle(v string) (string, error) {
	order := "MDY"
	iso := false
	for _, p := range strings.Split(v, ",") {
		switch strings.ToUpper(strings.TrimSpace(p)) {
		case "ISO":
			iso = true
		case "MDY", "US", "NONEURO", "NONEUROPEAN":
			order = "MDY"
		case "DMY", "EURO", "EUROPEAN":
			order = "DMY"
		case "YMD":
			order = "YMD"
		case "DEFAULT", "":
			iso = true
		case "SQL", "POSTGRES", "GERMAN":
			return "", sqlerr.Unsupported("DateStyle %s is not supported", strings.TrimSpace(p)).WithHint("sluice formats dates in ISO style only.")
		default:
			return "", sqlerr.New(sqlerr.InvalidParameterValue, "invalid value for parameter \"DateStyle\": \"%s\"", v)
		}
	}
	if !iso && strings.TrimSpace(v) != "" && !strings.Contains(strings.ToUpper(v), "ISO") {
		// Only an order was given: the output style stays ISO.
		iso = true
	}
	return "ISO, " + order, nil
}

func checkIntervalStyle(v string) (string, error) {
	if strings.EqualFold(strings.TrimSpace(v), "postgres") {
		return "postgres", nil
	}
	return "", sqlerr.Unsupported("IntervalStyle %s is not supported", v)
}

func checkSCS(v string) (string, error) {
	b, err := checkBool(v)
	if err != nil {
		return "", err
	}
	if b == "off" {
		return "", sqlerr.Unsupported("standard_conforming_strings = off is not supported")
	}
	return b, nil
}

func checkTimeZone(v string) (string, error) {
	v = strings.TrimSpace(v)
	if strings.EqualFold(v, "local") || strings.EqualFold(v, "default") {
		return "UTC", nil
	}
	if _, err := types.ParseZone(v); err != nil {
		return "", sqlerr.New(sqlerr.InvalidParameterValue, "invalid value for parameter \"TimeZone\": \"%s\"", v)
	}
	// A bare number means hours east of UTC in POSIX-inverted form; keep as given.
	return v, nil
}

func checkIntRange(lo, hi int) func(string) (string, error) {
	return func(v string) (string, error) {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return "", sqlerr.New(sqlerr.InvalidParameterValue, "invalid value for parameter: \"%s\"", v)
		}
		if n < lo || n > hi {
			return "", sqlerr.New(sqlerr.InvalidParameterValue, "%d is outside the valid range for parameter (%d .. %d)", n, lo, hi)
		}
		return strconv.Itoa(n), nil
	}
}

func checkEnum(vals ...string) func(string) (string, error) {
	return func(v string) (string, error) {
		l := strings.ToLower(strings.TrimSpace(v))
		for _, x := range vals {
			if l == x {
				return x, nil
			}
		}
		return "", sqlerr.New(sqlerr.InvalidParameterValue, "invalid value for parameter: \"%s\"", v).
			WithHint("Available values: %s.", strings.Join(vals, ", "))
	}
}

func checkIsolation(v string) (string, error) {
	return checkEnum("serializable", "repeatable read", "read committed", "read uncommitted")(v)
}

// checkDuration accepts milliseconds or a number with a unit ("5s", "100ms", "1min").
func checkDuration(v string) (string, error) {
	if _, err := parseDurationMS(v); err != nil {
		return "", err
	}
	ms, _ := parseDurationMS(v)
	return formatDurationMS(ms), nil
}

func parseDurationMS(v string) (int64, error) {
	s := strings.TrimSpace(v)
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == '-') {
		i++
	}
	num, unit := s[:i], strings.TrimSpace(s[i:])
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 {
		return 0, sqlerr.New(sqlerr.InvalidParameterValue, "invalid value for parameter: \"%s\"", v)
	}
	mult := map[string]float64{"": 1, "us": 0.001, "ms": 1, "s": 1000, "min": 60000, "h": 3600000, "d": 86400000}
	m, ok := mult[unit]
	if !ok {
		return 0, sqlerr.New(sqlerr.InvalidParameterValue, "invalid value for parameter: \"%s\"", v).
			WithHint("Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".")
	}
	return int64(f*m + 0.5), nil
}

// formatDurationMS renders milliseconds as SHOW does ("0", "5s", "1500ms", "2min").
func formatDurationMS(ms int64) string {
	switch {
	case ms == 0:
		return "0"
	case ms%86400000 == 0:
		return strconv.FormatInt(ms/86400000, 10) + "d"
	case ms%3600000 == 0:
		return strconv.FormatInt(ms/3600000, 10) + "h"
	case ms%60000 == 0:
		return strconv.FormatInt(ms/60000, 10) + "min"
	case ms%1000 == 0:
		return strconv.FormatInt(ms/1000, 10) + "s"
	}
	return strconv.FormatInt(ms, 10) + "ms"
}

// settings is a session's configuration state.
type settings struct {
	vals  map[string]string // lower-case key → value (session level)
	local map[string]string // SET LOCAL overrides until transaction end
}

func newSettings() *settings {
	s := &settings{vals: map[string]string{}, local: map[string]string{}}
	for _, d := range settingList {
		s.vals[strings.ToLower(d.name)] = d.def
	}
	return s
}

func (s *settings) clone() map[string]string {
	m := make(map[string]string, len(s.vals))
	for k, v := range s.vals {
		m[k] = v
	}
	return m
}

// get returns the effective value; ok is false for an unknown name.
func (s *settings) get(name string) (string, bool) {
	k := strings.ToLower(name)
	if v, ok := s.local[k]; ok {
		return v, true
	}
	v, ok := s.vals[k]
	return v, ok
}

// validate normalizes a value for name, or errors (42704, 22023, 55P02…).
func validate(name, value string) (string, string, error) {
	k := strings.ToLower(name)
	d, ok := settingsByKey[k]
	if !ok {
		if strings.Contains(k, ".") {
			return k, value, nil // custom placeholder variables, as PostgreSQL allows
		}
		return "", "", unrecognized(name)
	}
	if d.readOnly {
		return "", "", sqlerr.New(sqlerr.CantChangeRuntimeParam, "parameter \"%s\" cannot be changed", d.name)
	}
	if d.check != nil {
		v, err := d.check(value)
		if err != nil {
			return "", "", err
		}
		value = v
	}
	return k, value, nil
}

// location returns the TimeZone as a *time.Location.
func (s *settings) location() *time.Location {
	v, _ := s.get("timezone")
	l, err := types.ParseZone(v)
	if err != nil {
		return time.UTC
	}
	return l
}

func (s *settings) durationMS(name string) int64 {
	v, _ := s.get(name)
	ms, _ := parseDurationMS(v)
	return ms
}

func (s *settings) int(name string) int {
	v, _ := s.get(name)
	n, _ := strconv.Atoi(v)
	return n
}

// parseMemoryBytes reads a size in PostgreSQL's memory units (kB when none).
func parseMemoryBytes(v string) (int64, error) {
	s := strings.TrimSpace(v)
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil || n < 0 {
		return 0, sqlerr.New(sqlerr.InvalidParameterValue, "invalid value for parameter \"sluice.query_memory\": \"%s\"", v)
	}
	mult := map[string]int64{"": 1024, "B": 1, "kB": 1024, "MB": 1 << 20, "GB": 1 << 30, "TB": 1 << 40}
	m, ok := mult[strings.TrimSpace(s[i:])]
	if !ok {
		return 0, sqlerr.New(sqlerr.InvalidParameterValue, "invalid value for parameter \"sluice.query_memory\": \"%s\"", v).
			WithHint("Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".")
	}
	return n * m, nil
}

func checkMemory(v string) (string, error) {
	if _, err := parseMemoryBytes(v); err != nil {
		return "", err
	}
	return strings.TrimSpace(v), nil
}
