package blob_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// PutSHA256 goes straight to the key in one signed PUT: the store checks
// the bytes against the digest, so a wrong digest leaves nothing behind,
// and no staging object is ever listed.
func TestPutSHA256(t *testing.T) {
	for name, open := range map[string]opener{"in-process": openInProcess, "env": openFromEnv} {
		t.Run(name, func(t *testing.T) {
			st := open(t, withPartSize(5<<20))
			ctx := ctxFor(t)
			const size = 12 << 20 // over the part size: Put would have staged and copied it
			want, _ := digestOf(t, content(7, size))

			// A file, as the documents service spools one, read from an offset.
			f, err := os.Create(filepath.Join(t.TempDir(), "spool"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.WriteString("prefix"); err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(f, content(7, size)); err != nil {
				t.Fatal(err)
			}
			if _, err := f.Seek(int64(len("prefix")), io.SeekStart); err != nil {
				t.Fatal(err)
			}
			info, err := st.PutSHA256(ctx, "sha/file", f, size, "application/pdf", strings.ToUpper(want))
			if err != nil {
				t.Fatalf("put: %v", err)
			}
			if info.SHA256 != want || info.Size != size || info.ContentType != "application/pdf" {
				t.Fatalf("info %+v, want sha256 %s size %d", info, want, size)
			}
			rc, got, err := st.Get(ctx, "sha/file")
			if err != nil {
				t.Fatal(err)
			}
			d, n := digestOf(t, rc)
			rc.Close()
			if d != want || n != size || got.SHA256 != want || got.ContentType != "application/pdf" {
				t.Fatalf("read back %d bytes sha256 %s (recorded %s, type %s), want %s", n, d, got.SHA256, got.ContentType, want)
			}

			// A plain stream, and a wrong digest: refused, nothing stored.
			_, err = st.PutSHA256(ctx, "sha/wrong", content(8, size), size, "application/pdf", want)
			if err == nil {
				t.Fatal("a body that does not match its digest was stored")
			}
			if _, err := st.Stat(ctx, "sha/wrong"); err == nil {
				t.Fatal("the refused object is there")
			} else {
				wantNotFound(t, err, "refused object")
			}

			// A reader longer than the size is the caller's mistake.
			long := io.MultiReader(content(7, size), strings.NewReader("more"))
			if _, err := st.PutSHA256(ctx, "sha/long", long, size, "application/pdf", want); err == nil {
				t.Fatal("a reader longer than its size was accepted")
			}
			if _, err := st.Stat(ctx, "sha/long"); err == nil {
				t.Fatal("the prefix of a longer reader is stored")
			}
			// A short one fails before anything is stored.
			if _, err := st.PutSHA256(ctx, "sha/short", content(7, size-1), size, "", want); err == nil {
				t.Fatal("a short reader was accepted")
			}
			if _, err := st.PutSHA256(ctx, "sha/bad", content(7, 1), 1, "", "not-a-digest"); err == nil {
				t.Fatal("a malformed digest was accepted")
			}

			objs, err := st.List(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != 1 || objs[0].Key != "sha/file" {
				t.Fatalf("objects %+v, want only sha/file", objs)
			}
		})
	}
}
