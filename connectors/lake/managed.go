package lake

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/sluicedb/sluice/sql/sqlerr"
)

// Snapshot is one committed version of a managed table: the data files
// that make up its rows. Paths are relative to the table's directory.
type Snapshot struct {
	ID        int64       `json:"snapshot-id"`
	Parent    int64       `json:"parent-snapshot-id"`
	Timestamp time.Time   `json:"timestamp"`
	Operation string      `json:"operation"` // create, append, overwrite, delete, truncate
	Rows      int64       `json:"total-records"`
	Files     []SnapFile  `json:"data-files"`
	History   []SnapEntry `json:"snapshot-log"` // earlier snapshots, newest last
}

// SnapFile is one data file of a snapshot.
type SnapFile struct {
	Path string `json:"file-path"`
	Size int64  `json:"file-size-in-bytes"`
	Rows int64  `json:"record-count"`
}

// SnapEntry is an earlier snapshot's metadata location, kept for Vacuum's
// retention and for reading the table as of an earlier version.
type SnapEntry struct {
	ID       int64     `json:"snapshot-id"`
	Time     time.Time `json:"timestamp"`
	Metadata string    `json:"metadata-file"`
}

// metaDir and dataDir are the folders of a managed table's directory.
const (
	metaDir = "metadata"
	dataDir = "data"
)

// DataDir is where a managed table's writers put new files.
func DataDir(tableDir string) string { return filepath.Join(tableDir, dataDir) }

var snapCache sync.Map // metadata path → *Snapshot (metadata files are immutable)

// LoadSnapshot reads a snapshot's metadata file ("" is the empty table).
func LoadSnapshot(tableDir, meta string) (*Snapshot, error) {
	if meta == "" {
		return &Snapshot{}, nil
	}
	p := filepath.Join(tableDir, meta)
	if s, ok := snapCache.Load(p); ok {
		return s.(*Snapshot), nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fileErr(p, err)
	}
	var s Snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, sqlerr.New(sqlerr.DataCorrupted, "table metadata \"%s\" is corrupt: %v", p, err)
	}
	snapCache.Store(p, &s)
	return &s, nil
}

// Commit writes the metadata of a new snapshot whose files are base's plus
// added (or only added when replace is set) and returns its location
// relative to tableDir. The snapshot becomes the table's current one when
// the caller records that location in the catalog.
func Commit(tableDir, baseMeta string, base *Snapshot, added []*DataFile, replace bool, op string) (string, *Snapshot, error) {
	s := &Snapshot{ID: base.ID + 1, Parent: base.ID, Timestamp: time.Now().UTC(), Operation: op}
	if baseMeta != "" {
		s.History = append(append([]SnapEntry(nil), base.History...), SnapEntry{ID: base.ID, Time: base.Timestamp, Metadata: baseMeta})
		if len(s.History) > maxHistory {
			s.History = s.History[len(s.History)-maxHistory:]
		}
	}
	if !replace {
		s.Files = append(s.Files, base.Files...)
		s.Rows = base.Rows
	}
	for _, f := range added {
		rel, err := filepath.Rel(tableDir, f.Path)
		if err != nil || strings.HasPrefix(rel, "..") {
			return "", nil, sqlerr.Internal("lake: data file %s is outside table directory %s", f.Path, tableDir)
		}
		s.Files = append(s.Files, SnapFile{Path: rel, Size: f.Size, Rows: f.Rows})
		s.Rows += f.Rows
	}
	meta := filepath.Join(metaDir, fmt.Sprintf("%08d-%s", s.ID, newName(".json")))
	err := WriteFileAtomic(filepath.Join(tableDir, meta), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", " ")
		return enc.Encode(s)
	})
	if err != nil {
		return "", nil, err
	}
	return meta, s, nil
}

// ownMetadata matches sluice's snapshot files (00000012-<hex>.json).
var ownMetadata = regexp.MustCompile(`^\d{8}-[0-9a-f]{24}\.json$`)

// maxHistory bounds the snapshot log kept in each metadata file.
const maxHistory = 100

// Table returns the snapshot as a scannable table with the given columns.
func (s *Snapshot) Table(tableDir string, cols []Column) *Table {
	files := make([]*DataFile, len(s.Files))
	for i, f := range s.Files {
		files[i] = &DataFile{Path: filepath.Join(tableDir, f.Path), Size: f.Size, Rows: f.Rows}
	}
	t := NewTable(cols, 0, files, fmt.Sprintf("%d", s.ID))
	t.pin = pinFiles
	return t
}

// pinned counts scans and writes using each file, so Vacuum keeps them.
var pinned = struct {
	sync.Mutex
	m map[string]int
}{m: map[string]int{}}

func pinFiles(files []*DataFile) func() {
	pinned.Lock()
	for _, f := range files {
		pinned.m[f.Path]++
	}
	pinned.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			pinned.Lock()
			for _, f := range files {
				if pinned.m[f.Path]--; pinned.m[f.Path] <= 0 {
					delete(pinned.m, f.Path)
				}
			}
			pinned.Unlock()
		})
	}
}

func pinPath(p string) func() { return pinFiles([]*DataFile{{Path: p}}) }

func isPinned(p string) bool {
	pinned.Lock()
	defer pinned.Unlock()
	return pinned.m[p] > 0
}

// VacuumResult counts what Vacuum removed.
type VacuumResult struct {
	Snapshots, DataFiles, MetadataFiles int
}

// Vacuum expires snapshots older than keep (the current one always stays)
// and removes files no retained snapshot lists: expired snapshots' files,
// and files of writes that failed or crashed before committing. Files in
// use by a running scan or an uncommitted write are never removed. It
// returns the metadata location to record (the current snapshot rewritten
// with a shortened log) — "" when nothing changed.
func Vacuum(tableDir, currentMeta string, keep time.Duration) (string, VacuumResult, error) {
	var res VacuumResult
	cur, err := LoadSnapshot(tableDir, currentMeta)
	if err != nil {
		return "", res, err
	}
	cutoff := time.Now().Add(-keep)
	var kept []SnapEntry
	for _, h := range cur.History {
		if h.Time.Before(cutoff) {
			res.Snapshots++
			continue
		}
		kept = append(kept, h)
	}
	live := map[string]bool{}
	metas := map[string]bool{}
	addSnap := func(meta string) error {
		s, err := LoadSnapshot(tableDir, meta)
		if err != nil {
			return err
		}
		metas[filepath.Join(tableDir, meta)] = true
		for _, f := range s.Files {
			live[filepath.Join(tableDir, f.Path)] = true
		}
		return nil
	}
	newMeta := currentMeta
	if res.Snapshots > 0 {
		s := *cur
		s.History = kept
		newMeta = filepath.Join(metaDir, fmt.Sprintf("%08d-%s", s.ID, newName(".json")))
		if err := WriteFileAtomic(filepath.Join(tableDir, newMeta), func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", " ")
			return enc.Encode(&s)
		}); err != nil {
			return "", res, err
		}
	}
	if newMeta != "" {
		if err := addSnap(newMeta); err != nil {
			return "", res, err
		}
	}
	if currentMeta != "" {
		metas[filepath.Join(tableDir, currentMeta)] = true // the caller may not have recorded newMeta yet
		for _, f := range cur.Files {
			live[filepath.Join(tableDir, f.Path)] = true
		}
	}
	for _, h := range kept {
		if err := addSnap(h.Metadata); err != nil {
			return "", res, err
		}
	}
	sweep := func(dir string, keepSet map[string]bool, n *int) error {
		ents, err := os.ReadDir(dir)
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return ioErr(err)
		}
		for _, e := range ents {
			p := filepath.Join(dir, e.Name())
			if e.IsDir() || keepSet[p] || isPinned(p) {
				continue
			}
			if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
				return ioErr(err)
			}
			*n++
		}
		return nil
	}
	if err := sweep(filepath.Join(tableDir, dataDir), live, &res.DataFiles); err != nil {
		return "", res, err
	}
	// The metadata folder also holds the Iceberg metadata published for
	// the table; only sluice's own snapshot files are swept.
	ours := map[string]bool{}
	if ents, err := os.ReadDir(filepath.Join(tableDir, metaDir)); err == nil {
		for _, e := range ents {
			if !ownMetadata.MatchString(e.Name()) {
				ours[filepath.Join(tableDir, metaDir, e.Name())] = true // keep
			}
		}
	}
	for k := range metas {
		ours[k] = true
	}
	if err := sweep(filepath.Join(tableDir, metaDir), ours, &res.MetadataFiles); err != nil {
		return "", res, err
	}
	if newMeta == currentMeta {
		newMeta = ""
	}
	return newMeta, res, nil
}

// RemoveUnpinned deletes the files under a dropped table's directory that
// no running scan holds.
func RemoveUnpinned(dir string) {
	for _, sub := range []string{dataDir, metaDir} {
		ents, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			continue
		}
		for _, e := range ents {
			p := filepath.Join(dir, sub, e.Name())
			if !e.IsDir() && !isPinned(p) {
				os.Remove(p)
			}
		}
	}
}
