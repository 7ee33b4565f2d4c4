package lake

import (
	"crypto/rand"
	"encoding/hex"
	"io"

	"github.com/sluicedb/sluice/durable"
	"github.com/sluicedb/sluice/sql/sqlerr"
)

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
