package lake

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/sluicedb/sluice/durable"
	"github.com/sluicedb/sluice/sql/sqlerr"
)

// LocalPath turns a location (file:///abs/path, or a plain absolute path)
// into a local path. Other schemes are not served yet and answer 0A000.
func LocalPath(location string) (string, error) {
	if strings.HasPrefix(location, "/") {
		return filepath.Clean(location), nil
	}
	u, err := url.Parse(location)
	if err != nil {
		return "", sqlerr.New(sqlerr.InvalidParameterValue, "invalid location \"%s\": %v", location, err)
	}
	switch u.Scheme {
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return "", sqlerr.New(sqlerr.InvalidParameterValue, "invalid location \"%s\": file URLs name no host", location)
		}
		p := u.Path
		if p == "" || !strings.HasPrefix(p, "/") {
			return "", sqlerr.New(sqlerr.InvalidParameterValue, "invalid location \"%s\": the path must be absolute", location)
		}
		return filepath.Clean(p), nil
	case "s3":
		return "", sqlerr.Unsupported("s3:// locations are not supported yet").
			WithHint("Use a file:// location; the object-store layer is still being built.")
	}
	return "", sqlerr.New(sqlerr.InvalidParameterValue, "invalid location \"%s\": expected file:///path", location)
}

// newName returns a fresh random file name with a suffix.
func newName(suffix string) string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:]) + suffix
}

// WriteFileAtomic writes a file so that it appears complete or not at all.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	return ioErr(durable.WriteFile(path, write))
}

func syncDir(dir string) error { return ioErr(durable.SyncDir(dir)) }

func ioErr(err error) error {
	if err == nil {
		return nil
	}
	if se, ok := err.(*sqlerr.Error); ok {
		return se
	}
	return sqlerr.New(sqlerr.IOError, "%v", err)
}
