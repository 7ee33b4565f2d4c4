package pgwire

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strconv"
	"strings"

	"github.com/sluicedb/sluice/sql/sqlerr"
)

// scramIterations matches PostgreSQL's default scram_iterations.
const scramIterations = 4096

var errBadProof = errors.New("scram: bad proof")

func randUint32() uint32 {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return binary.BigEndian.Uint32(b[:])
}

func hmacSHA256(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

// MakeVerifier returns a SCRAM-SHA-256 verifier for a password in
// PostgreSQL's pg_authid format: SCRAM-SHA-256$iter:salt$StoredKey:ServerKey.
func MakeVerifier(password string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	return makeVerifier(password, salt, scramIterations)
}

func makeVerifier(password string, salt []byte, iter int) string {
	salted, _ := pbkdf2.Key(sha256.New, password, salt, iter, 32)
	clientKey := hmacSHA256(salted, []byte("Client Key"))
	stored := sha256.Sum256(clientKey)
	serverKey := hmacSHA256(salted, []byte("Server Key"))
	enc := base64.StdEncoding.EncodeToString
	return "SCRAM-SHA-256$" + strconv.Itoa(iter) + ":" + enc(salt) + "$" + enc(stored[:]) + ":" + enc(serverKey)
}

type verifier struct {
	iter      int
	salt      []byte
	storedKey []byte
	serverKey []byte
}

func parseVerifier(v string) (*verifier, bool) {
	rest, ok := strings.CutPrefix(v, "SCRAM-SHA-256$")
	if !ok {
		return nil, false
	}
	params, keys, ok := strings.Cut(rest, "$")
	if !ok {
		return nil, false
	}
	iterS, saltS, ok1 := strings.Cut(params, ":")
	storedS, serverS, ok2 := strings.Cut(keys, ":")
	if !ok1 || !ok2 {
		return nil, false
	}
	out := &verifier{}
	var err error
	if out.iter, err = strconv.Atoi(iterS); err != nil {
		return nil, false
	}
	dec := base64.StdEncoding.DecodeString
	if out.salt, err = dec(saltS); err != nil {
		return nil, false
	}
	if out.storedKey, err = dec(storedS); err != nil {
		return nil, false
	}
	if out.serverKey, err = dec(serverS); err != nil {
		return nil, false
	}
	return out, true
}

// VerifyPassword checks a cleartext password against a SCRAM verifier.
func VerifyPassword(v, password string) bool {
	pv, ok := parseVerifier(v)
	if !ok {
		return false
	}
	want := makeVerifier(password, pv.salt, pv.iter)
	return subtle.ConstantTimeCompare([]byte(want), []byte(v)) == 1
}

// scramServer runs the server side of one SCRAM-SHA-256 exchange (RFC 5802/7677).
type scramServer struct {
	v               *verifier
	real            bool // false: a mock exchange for an unknown user or no password
	clientFirstBare string
	serverFirst     string
	nonce           string
}

func newScramServer(user, v string, real bool) (*scramServer, error) {
	s := &scramServer{real: real}
	if real {
		pv, ok := parseVerifier(v)
		if !ok {
			return nil, sqlerr.Internal("invalid stored SCRAM verifier for role %q", user)
		}
		s.v = pv
	} else {
		// A deterministic fake salt per user name hides whether the role exists.
		h := sha256.Sum256([]byte("sluice-mock-" + user))
		s.v = &verifier{iter: scramIterations, salt: h[:16], storedKey: make([]byte, 32), serverKey: make([]byte, 32)}
	}
	return s, nil
}

func scramProtocolErr(msg string) error {
	return sqlerr.New(sqlerr.ProtocolViolation, "malformed SCRAM message").WithDetail("%s", msg).WithSeverity(sqlerr.SeverityFatal)
}

func (s *scramServer) clientFirst(msg string) (string, error) {
	// gs2-header: "n,," or "y,," (no channel binding); "p=" needs binding we do not offer.
	switch {
	case strings.HasPrefix(msg, "n,"), strings.HasPrefix(msg, "y,"):
	case strings.HasPrefix(msg, "p="):
		return "", sqlerr.New(sqlerr.ProtocolViolation, "channel binding is not supported").WithSeverity(sqlerr.SeverityFatal)
	default:
		return "", scramProtocolErr("Unexpected channel-binding flag.")
	}
	i := strings.Index(msg[2:], ",")
	if i < 0 {
		return "", scramProtocolErr("Malformed GS2 header.")
	}
	s.clientFirstBare = msg[2+i+1:]
	var cnonce string
	for _, attr := range strings.Split(s.clientFirstBare, ",") {
		if v, ok := strings.CutPrefix(attr, "r="); ok {
			cnonce = v
		}
	}
	if cnonce == "" {
		return "", scramProtocolErr("Missing client nonce.")
	}
	raw := make([]byte, 18)
	_, _ = rand.Read(raw)
	s.nonce = cnonce + base64.StdEncoding.EncodeToString(raw)
	s.serverFirst = "r=" + s.nonce + ",s=" + base64.StdEncoding.EncodeToString(s.v.salt) + ",i=" + strconv.Itoa(s.v.iter)
	return s.serverFirst, nil
}

func (s *scramServer) clientFinal(msg string) (string, error) {
	i := strings.LastIndex(msg, ",p=")
	if i < 0 {
		return "", scramProtocolErr("Malformed proof in client-final-message.")
	}
	withoutProof := msg[:i]
	proof, err := base64.StdEncoding.DecodeString(msg[i+3:])
	if err != nil || len(proof) != sha256.Size {
		return "", scramProtocolErr("Malformed proof in client-final-message.")
	}
	var nonce string
	for _, attr := range strings.Split(withoutProof, ",") {
		if v, ok := strings.CutPrefix(attr, "r="); ok {
			nonce = v
		}
	}
	if nonce != s.nonce {
		return "", scramProtocolErr("Unexpected SCRAM nonce.")
	}
	if !s.real {
		return "", errBadProof
	}
	authMsg := []byte(s.clientFirstBare + "," + s.serverFirst + "," + withoutProof)
	sig := hmacSHA256(s.v.storedKey, authMsg)
	clientKey := make([]byte, len(proof))
	for j := range proof {
		clientKey[j] = proof[j] ^ sig[j]
	}
	h := sha256.Sum256(clientKey)
	if subtle.ConstantTimeCompare(h[:], s.v.storedKey) != 1 {
		return "", errBadProof
	}
	return "v=" + base64.StdEncoding.EncodeToString(hmacSHA256(s.v.serverKey, authMsg)), nil
}
