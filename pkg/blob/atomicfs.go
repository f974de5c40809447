package blob

import (
	"fmt"
	"path"
	"sync/atomic"

	"github.com/spf13/afero"
)

// atomicFs makes the file backend's object writes atomic. gofakes3's afero
// backend overwrites an object by truncating its file in place, so a GET
// that opened the old object would read a mix of old and new bytes. Here
// Create writes to a file in tmpDir and renames it over the target on
// Close: readers that opened the old file keep reading the old bytes, and
// new readers see the new file together with its new metadata (the backend
// saves both under one lock).
//
// If the backend fails part way through a write it still closes the file,
// which then replaces the object with what was written; the metadata is not
// updated in that case, so Get reports ErrChecksumMismatch for objects Put
// wrote. The server feeds the backend from local files only, which makes
// such failures disk failures.
type atomicFs struct {
	afero.Fs
	tmpDir string // inside Fs, on the same file system as the objects
	seq    atomic.Uint64
}

func (a *atomicFs) Create(name string) (afero.File, error) {
	tmp := path.Join(a.tmpDir, fmt.Sprintf("object-%d", a.seq.Add(1)))
	f, err := a.Fs.Create(tmp)
	if err != nil {
		return nil, err
	}
	return &renameOnClose{File: f, fs: a.Fs, tmp: tmp, target: name}, nil
}

type renameOnClose struct {
	afero.File
	fs          afero.Fs
	tmp, target string
	closed      bool
}

func (r *renameOnClose) Name() string { return r.target }

func (r *renameOnClose) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	if err := r.File.Close(); err != nil {
		_ = r.fs.Remove(r.tmp)
		return err
	}
	if err := r.fs.Rename(r.tmp, r.target); err != nil {
		_ = r.fs.Remove(r.tmp)
		return fmt.Errorf("replace %s: %w", r.target, err)
	}
	return nil
}
