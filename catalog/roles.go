package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/sluicedb/sluice/durable"
	"github.com/sluicedb/sluice/sql/sqlerr"
)

// Role is a login role.
type Role struct {
	OID        uint32 `json:"oid"`
	Name       string `json:"name"`
	Superuser  bool   `json:"superuser"`
	Login      bool   `json:"login"`
	CreateDB   bool   `json:"createdb"`
	CreateRole bool   `json:"createrole"`
	// Verifier is the SCRAM-SHA-256 secret ("" when the role has no password).
	Verifier string `json:"verifier,omitempty"`
}

// Roles is the durable set of roles.
type Roles struct {
	path string // "" keeps roles in memory only

	mu      sync.RWMutex
	roles   map[string]*Role
	nextOID uint32
}

// BootstrapUser is the superuser every data directory starts with.
const BootstrapUser = "sluice"

// OpenRoles loads roles from dir (creating it and the bootstrap superuser
// when missing). dir "" keeps roles in memory.
func OpenRoles(dir string) (*Roles, error) {
	r := &Roles{roles: map[string]*Role{}, nextOID: 16384}
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("catalog: %w", err)
		}
		r.path = filepath.Join(dir, "roles.json")
		b, err := os.ReadFile(r.path)
		switch {
		case err == nil:
			var list []*Role
			if err := json.Unmarshal(b, &list); err != nil {
				return nil, fmt.Errorf("catalog: %s is corrupt: %w", r.path, err)
			}
			for _, ro := range list {
				r.roles[ro.Name] = ro
				r.nextOID = max(r.nextOID, ro.OID+1)
			}
		case errors.Is(err, fs.ErrNotExist):
		default:
			return nil, fmt.Errorf("catalog: %w", err)
		}
	}
	if _, ok := r.roles[BootstrapUser]; !ok {
		r.roles[BootstrapUser] = &Role{OID: 10, Name: BootstrapUser, Superuser: true, Login: true, CreateDB: true, CreateRole: true}
		if err := r.saveLocked(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Get returns a copy of a role.
func (r *Roles) Get(name string) (Role, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	ro, ok := r.roles[name]
	if !ok {
		return Role{}, false
	}
	return *ro, true
}

// List returns all roles by name.
func (r *Roles) List() []Role {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Role, 0, len(r.roles))
	for _, ro := range r.roles {
		out = append(out, *ro)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Login implements pgwire.Passwords.
func (r *Roles) Login(name string) (string, bool) {
	ro, ok := r.Get(name)
	if !ok || !ro.Login {
		return "", false
	}
	return ro.Verifier, true
}

// Create adds a role (42710 if it exists).
func (r *Roles) Create(ro Role) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.roles[ro.Name]; ok {
		return sqlerr.New(sqlerr.DuplicateObject, "role \"%s\" already exists", ro.Name)
	}
	ro.OID = r.nextOID
	r.nextOID++
	r.roles[ro.Name] = &ro
	if err := r.saveLocked(); err != nil {
		delete(r.roles, ro.Name)
		return err
	}
	return nil
}

// Alter changes a role through fn (42704 if it does not exist).
func (r *Roles) Alter(name string, fn func(*Role)) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	ro, ok := r.roles[name]
	if !ok {
		return sqlerr.New(sqlerr.UndefinedObject, "role \"%s\" does not exist", name)
	}
	old := *ro
	fn(ro)
	ro.Name, ro.OID = old.Name, old.OID
	if err := r.saveLocked(); err != nil {
		*ro = old
		return err
	}
	return nil
}

// Drop removes a role.
func (r *Roles) Drop(name string, ifExists bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	ro, ok := r.roles[name]
	if !ok {
		if ifExists {
			return nil
		}
		return sqlerr.New(sqlerr.UndefinedObject, "role \"%s\" does not exist", name)
	}
	if name == BootstrapUser {
		return sqlerr.New(sqlerr.DependentObjectsStillExist, "cannot drop role %s because it is required by the database system", name)
	}
	delete(r.roles, name)
	if err := r.saveLocked(); err != nil {
		r.roles[name] = ro
		return err
	}
	return nil
}

// saveLocked writes roles atomically.
func (r *Roles) saveLocked() error {
	if r.path == "" {
		return nil
	}
	list := make([]*Role, 0, len(r.roles))
	for _, ro := range r.roles {
		list = append(list, ro)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].OID < list[j].OID })
	b, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return sqlerr.Internal("catalog: %v", err)
	}
	if err := WriteFileAtomic(r.path, b); err != nil {
		return sqlerr.Wrap(err, sqlerr.InternalError, "could not write catalog: %v", err)
	}
	return nil
}

// WriteFileAtomic replaces path with data crash-safely (durable.WriteBytes).
func WriteFileAtomic(path string, data []byte) error { return durable.WriteBytes(path, data) }
