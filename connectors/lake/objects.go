package lake

import (
	"context"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/sluicedb/sluice/sql/sqlerr"
)

// One URI-based layer over where files live: the local disk (file:// or an
// absolute path) and S3-compatible object stores (s3://bucket/prefix).
// Paths are kept as full URIs for S3 and as plain paths locally.

// objInfo is one listed file.
type objInfo struct {
	path  string
	size  int64
	mtime int64 // nanoseconds, or a hash of the ETag for objects
}

// objectFS reads one kind of location.
type objectFS interface {
	// list returns the files at or under root (recursive), sorted.
	list(ctx context.Context, root string) ([]objInfo, error)
	// open returns a random-access reader of a file of known size.
	open(ctx context.Context, path string, size int64) (parquet.ReaderAtSeeker, func(), error)
	stat(ctx context.Context, path string) (objInfo, error)
}

// S3Options configure access to an S3-compatible store. Secrets are never
// printed: error messages name the location only.
type S3Options struct {
	Endpoint     string // https://host:port (default AWS)
	Region       string
	AccessKey    string
	SecretKey    string
	SessionToken string
	PathStyle    bool
}

// S3OptionsFrom reads table options (s3_endpoint, s3_region,
// s3_access_key_id, s3_secret_access_key, s3_session_token, s3_url_style)
// with the AWS_* environment variables as defaults.
func S3OptionsFrom(opts map[string]string) S3Options {
	get := func(k string, envs ...string) string {
		if v, ok := opts[k]; ok {
			return v
		}
		for _, e := range envs {
			if v := os.Getenv(e); v != "" {
				return v
			}
		}
		return ""
	}
	o := S3Options{
		Endpoint:     get("s3_endpoint", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"),
		Region:       get("s3_region", "AWS_REGION", "AWS_DEFAULT_REGION"),
		AccessKey:    get("s3_access_key_id", "AWS_ACCESS_KEY_ID"),
		SecretKey:    get("s3_secret_access_key", "AWS_SECRET_ACCESS_KEY"),
		SessionToken: get("s3_session_token", "AWS_SESSION_TOKEN"),
		PathStyle:    strings.EqualFold(get("s3_url_style"), "path"),
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	return o
}

// IsSecretOption reports table options that must never be shown.
func IsSecretOption(k string) bool {
	return k == "s3_secret_access_key" || k == "s3_session_token" || k == "s3_access_key_id"
}

// fsFor returns the file system of a location.
func fsFor(location string, opts S3Options) (objectFS, string, error) {
	if strings.HasPrefix(location, "s3://") {
		c, err := s3Client(opts)
		if err != nil {
			return nil, "", err
		}
		return &s3FS{c: c}, location, nil
	}
	p, err := LocalPath(location)
	if err != nil {
		return nil, "", err
	}
	return localFS{}, p, nil
}

// LocalPath turns a location (file:///abs/path, or a plain absolute path)
// into a local path.
func LocalPath(location string) (string, error) {
	if strings.HasPrefix(location, "/") {
		return filepath.Clean(location), nil
	}
	u, err := url.Parse(location)
	if err != nil {
		return "", sqlerr.New(sqlerr.InvalidParameterValue, "invalid location \"%s\": %v", location, err)
	}
	if u.Scheme == "file" {
		if u.Host != "" && u.Host != "localhost" {
			return "", sqlerr.New(sqlerr.InvalidParameterValue, "invalid location \"%s\": file URLs name no host", location)
		}
		if u.Path == "" || !strings.HasPrefix(u.Path, "/") {
			return "", sqlerr.New(sqlerr.InvalidParameterValue, "invalid location \"%s\": the path must be absolute", location)
		}
		return filepath.Clean(u.Path), nil
	}
	return "", sqlerr.New(sqlerr.InvalidParameterValue, "invalid location \"%s\": expected file:///path or s3://bucket/prefix", location)
}

// hidden reports names Spark, Hive and writers use for non-data files.
func hidden(name string) bool { return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") }

// localFS is the local disk.
type localFS struct{}

func (localFS) stat(_ context.Context, p string) (objInfo, error) {
	st, err := os.Stat(p)
	if err != nil {
		return objInfo{}, fileErr(p, err)
	}
	return objInfo{path: p, size: st.Size(), mtime: st.ModTime().UnixNano()}, nil
}

func (localFS) list(_ context.Context, root string) ([]objInfo, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, fileErr(root, err)
	}
	if !st.IsDir() {
		return []objInfo{{path: root, size: st.Size(), mtime: st.ModTime().UnixNano()}}, nil
	}
	var out []objInfo
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != root && hidden(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, objInfo{path: p, size: info.Size(), mtime: info.ModTime().UnixNano()})
		return nil
	})
	if err != nil {
		return nil, ioErr(err)
	}
	return out, nil
}

func (localFS) open(_ context.Context, p string, _ int64) (parquet.ReaderAtSeeker, func(), error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, nil, fileErr(p, err)
	}
	return f, func() { f.Close() }, nil
}

// s3FS is a bucket of an S3-compatible store.
type s3FS struct{ c *minio.Client }

var s3Clients sync.Map // S3Options → *minio.Client

func s3Client(o S3Options) (*minio.Client, error) {
	if c, ok := s3Clients.Load(o); ok {
		return c.(*minio.Client), nil
	}
	endpoint, secure := "s3.amazonaws.com", true
	if o.Endpoint != "" {
		u, err := url.Parse(o.Endpoint)
		if err != nil || u.Host == "" {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "invalid s3_endpoint \"%s\"", o.Endpoint)
		}
		endpoint, secure = u.Host, u.Scheme != "http"
	}
	var creds *credentials.Credentials
	if o.AccessKey != "" {
		creds = credentials.NewStaticV4(o.AccessKey, o.SecretKey, o.SessionToken)
	} else {
		creds = credentials.NewStatic("", "", "", credentials.SignatureAnonymous)
	}
	lookup := minio.BucketLookupAuto
	if o.PathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(endpoint, &minio.Options{Creds: creds, Secure: secure, Region: o.Region, BucketLookup: lookup})
	if err != nil {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "invalid S3 configuration for %s", endpoint)
	}
	s3Clients.Store(o, c)
	return c, nil
}

// splitS3 splits s3://bucket/key.
func splitS3(uri string) (bucket, key string) {
	rest := strings.TrimPrefix(uri, "s3://")
	bucket, key, _ = strings.Cut(rest, "/")
	return bucket, key
}

func s3Err(uri string, err error) error {
	var me minio.ErrorResponse
	if errors.As(err, &me) {
		switch me.Code {
		case "NoSuchKey", "NoSuchBucket":
			return sqlerr.New(sqlerr.UndefinedFile, "could not open \"%s\": %s", uri, me.Code)
		case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch":
			return sqlerr.New(sqlerr.InsufficientPrivilege, "access to \"%s\" was denied (%s)", uri, me.Code)
		}
		return sqlerr.New(sqlerr.IOError, "could not read \"%s\": %s", uri, me.Code)
	}
	if se, ok := err.(*sqlerr.Error); ok {
		return se
	}
	return sqlerr.New(sqlerr.IOError, "could not read \"%s\": %v", uri, err)
}

func etagStamp(etag string) int64 {
	var h int64
	for _, c := range etag {
		h = h*131 + int64(c)
	}
	return h
}

func (s *s3FS) stat(ctx context.Context, uri string) (objInfo, error) {
	b, k := splitS3(uri)
	info, err := s.c.StatObject(ctx, b, k, minio.StatObjectOptions{})
	if err != nil {
		return objInfo{}, s3Err(uri, err)
	}
	return objInfo{path: uri, size: info.Size, mtime: etagStamp(info.ETag)}, nil
}

func (s *s3FS) list(ctx context.Context, root string) ([]objInfo, error) {
	b, prefix := splitS3(root)
	if b == "" {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "invalid location \"%s\": no bucket", root)
	}
	var out []objInfo
	for o := range s.c.ListObjects(ctx, b, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, s3Err(root, o.Err)
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(o.Key, prefix), "/")
		skip := false
		for _, part := range strings.Split(rel, "/") {
			skip = skip || (part != "" && hidden(part))
		}
		// A prefix "dir/a" must not match "dir/ab/…" unless it is the key.
		if skip || (o.Key != prefix && !strings.HasSuffix(prefix, "/") && prefix != "" && !strings.HasPrefix(o.Key, prefix+"/")) {
			continue
		}
		out = append(out, objInfo{path: "s3://" + b + "/" + o.Key, size: o.Size, mtime: etagStamp(o.ETag)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	if len(out) == 0 {
		return nil, sqlerr.New(sqlerr.UndefinedFile, "no files found at \"%s\"", root)
	}
	return out, nil
}

func (s *s3FS) open(ctx context.Context, uri string, _ int64) (parquet.ReaderAtSeeker, func(), error) {
	b, k := splitS3(uri)
	o, err := s.c.GetObject(ctx, b, k, minio.GetObjectOptions{})
	if err != nil {
		return nil, nil, s3Err(uri, err)
	}
	return o, func() { o.Close() }, nil
}

// dirOf is the parent of a path or URI.
func dirOf(p string) string {
	if strings.HasPrefix(p, "s3://") {
		return "s3://" + path.Dir(strings.TrimPrefix(p, "s3://"))
	}
	return filepath.Dir(p)
}
