package blob_test

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/incuchain/incuchain/pkg/blob"
	"github.com/incuchain/incuchain/pkg/blob/blobtest"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// The contract: what every object store behind blob.Store must do. It runs
// against the in-process server always and against S3_ENDPOINT when set.

func TestStoreInProcess(t *testing.T) {
	runContract(t, openInProcess, inProcessClock)
}

// clock opens a store whose server reads a time the test moves: pass lets
// d go by at once. Only the in-process server has one.
type clock func(t *testing.T) (st *blob.Store, pass func(d time.Duration))

func inProcessClock(t *testing.T) (*blob.Store, func(time.Duration)) {
	var ahead atomic.Int64
	cfg := blobtest.ServerConfig(t, blob.WithClock(func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }))
	return blobtest.Open(t, cfg), func(d time.Duration) { ahead.Add(int64(d)) }
}

func TestContractS3Endpoint(t *testing.T) {
	if os.Getenv(blobtest.EnvEndpoint) == "" {
		t.Skipf("%s not set: the contract ran only in-process (TestStoreInProcess); "+
			"set %s=host:port (and %s, %s, %s, %s as needed) to run it against MinIO",
			blobtest.EnvEndpoint, blobtest.EnvEndpoint, blobtest.EnvAccessKey, blobtest.EnvSecretKey,
			blobtest.EnvBucket, blobtest.EnvUseSSL)
	}
	runContract(t, openFromEnv, nil)
}

// runContract runs the contract on open's stores; later, when not nil,
// moves the server's time instead of waiting for it.
func runContract(t *testing.T, open opener, later clock) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, opener)
	}{
		{"RoundTrip", contractRoundTrip},
		{"MissingKey", contractMissingKey},
		{"Delete", contractDelete},
		{"Overwrite", contractOverwrite},
		{"Copy", contractCopy},
		{"List", contractList},
		{"SizeMismatch", contractSizeMismatch},
		{"InvalidKeys", contractInvalidKeys},
		{"PresignPut", contractPresignPut},
		{"PresignGet", contractPresignGet},
		{"PresignTTLCapped", contractPresignTTLCapped},
		{"PresignedGetExpires", func(t *testing.T, open opener) { contractPresignedGetExpires(t, open, later) }},
		{"ForgedSignatureRefused", contractForgedSignature},
		{"Concurrent", contractConcurrent},
		{"OverwriteWhileReading", contractOverwriteWhileReading},
		{"Ready", contractReady},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

func contractRoundTrip(t *testing.T, open opener) {
	const mib = 1 << 20
	for i, tc := range []struct {
		name     string
		size     int64
		partSize uint64 // 0: default (16 MiB)
	}{
		{"0B", 0, 0},
		{"1B", 1, 0},
		{"5MiB+1/single-part", 5*mib + 1, 0},
		{"5MiB+1/two-parts-last-1B", 5*mib + 1, 5 * mib},
		{"100MiB/multipart", 100 * mib, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := open(t, withPartSize(tc.partSize))
			ctx := ctxFor(t)
			seed := uint64(i + 1)
			want, _ := digestOf(t, content(seed, tc.size))
			key := "region/carrier/company/" + strings.ReplaceAll(tc.name, "/", "-")

			info, err := st.Put(ctx, key, content(seed, tc.size), tc.size, "application/pdf")
			if err != nil {
				t.Fatalf("put: %v", err)
			}
			if info.Key != key || info.Size != tc.size || info.SHA256 != want || info.ContentType != "application/pdf" {
				t.Fatalf("put info = %+v, want key %s size %d sha256 %s", info, key, tc.size, want)
			}
			if info.ETag == "" || info.LastModified.IsZero() {
				t.Fatalf("put info lacks ETag or LastModified: %+v", info)
			}

			st2, err := st.Stat(ctx, key)
			if err != nil {
				t.Fatalf("stat: %v", err)
			}
			if st2.Size != tc.size || st2.SHA256 != want || st2.ContentType != "application/pdf" {
				t.Fatalf("stat = %+v, want size %d sha256 %s", st2, tc.size, want)
			}

			rc, ginfo, err := st.Get(ctx, key)
			if err != nil {
				t.Fatalf("get: %v", err)
			}
			got, n := digestOf(t, rc)
			if err := rc.Close(); err != nil {
				t.Fatalf("close: %v", err)
			}
			if n != tc.size || got != want {
				t.Fatalf("read back %d bytes sha256 %s, want %d bytes %s", n, got, tc.size, want)
			}
			if ginfo.SHA256 != want || ginfo.Size != tc.size {
				t.Fatalf("get info = %+v", ginfo)
			}
		})
	}
}

// Copy leaves two objects of the same bytes and metadata, each deleted
// on its own; a missing source is ErrNotFound.
func contractCopy(t *testing.T, open opener) {
	st := open(t, nil)
	ctx := ctxFor(t)
	want, _ := digestOf(t, content(7, 4096))
	if _, err := st.Put(ctx, "r/c/co/source", content(7, 4096), 4096, "application/pdf"); err != nil {
		t.Fatalf("put: %v", err)
	}
	info, err := st.Copy(ctx, "r/c/co/source", "r/c2/co/copy")
	if err != nil {
		t.Fatalf("copy: %v", err)
	}
	if info.Key != "r/c2/co/copy" || info.Size != 4096 || info.SHA256 != want || info.ContentType != "application/pdf" {
		t.Fatalf("copy info = %+v, want size 4096 sha256 %s application/pdf", info, want)
	}
	if err := st.Delete(ctx, "r/c/co/source"); err != nil {
		t.Fatalf("delete source: %v", err)
	}
	rc, _, err := st.Get(ctx, "r/c2/co/copy")
	if err != nil {
		t.Fatalf("get copy after the source is gone: %v", err)
	}
	got, n := digestOf(t, rc)
	_ = rc.Close()
	if got != want || n != 4096 {
		t.Fatalf("copy read back %d bytes sha256 %s, want 4096 %s", n, got, want)
	}
	_, err = st.Copy(ctx, "r/c/co/source", "r/c2/co/again")
	wantNotFound(t, err, "copy of a deleted source")
}

func contractMissingKey(t *testing.T, open opener) {
	st := open(t, nil)
	ctx := ctxFor(t)
	_, err := st.Stat(ctx, "no/such/key")
	wantNotFound(t, err, "stat")
	rc, _, err := st.Get(ctx, "no/such/key")
	if rc != nil {
		t.Fatalf("get returned a reader for a missing key")
	}
	wantNotFound(t, err, "get")
	if err := st.Delete(ctx, "no/such/key"); err != nil {
		t.Fatalf("delete of a missing key: %v", err)
	}
}

func contractDelete(t *testing.T, open opener) {
	st := open(t, nil)
	ctx := ctxFor(t)
	mustPut(t, st, "d/doc", "to be deleted")
	if err := st.Delete(ctx, "d/doc"); err != nil {
		t.Fatalf("delete: %v", err)
	}
	_, err := st.Stat(ctx, "d/doc")
	wantNotFound(t, err, "stat after delete")
	_, _, err = st.Get(ctx, "d/doc")
	wantNotFound(t, err, "get after delete")
}

func contractOverwrite(t *testing.T, open opener) {
	st := open(t, nil)
	ctx := ctxFor(t)
	first := mustPut(t, st, "o/doc", "first version")
	second := mustPut(t, st, "o/doc", "second, longer version")
	if first.SHA256 == second.SHA256 {
		t.Fatalf("different content, same digest %s", first.SHA256)
	}
	body, info := readAll(t, st, "o/doc")
	if body != "second, longer version" || info.SHA256 != second.SHA256 {
		t.Fatalf("after overwrite read %q with sha256 %s, want the second version %s", body, info.SHA256, second.SHA256)
	}

	// A presigned PUT replaces the object and all of its metadata: the old
	// digest must not survive to describe the new bytes.
	u, hdr, err := st.PresignPut(ctx, "o/doc", time.Minute, int64(len("third, from a browser")), "text/plain")
	if err != nil {
		t.Fatalf("presign put: %v", err)
	}
	if resp, msg := httpDo(t, http.MethodPut, u.String(), strings.NewReader("third, from a browser"), hdr); resp.StatusCode != http.StatusOK {
		t.Fatalf("presigned put: %s: %s", resp.Status, msg)
	}
	got, err := st.Stat(ctx, "o/doc")
	if err != nil {
		t.Fatalf("stat: %v", err)
	}
	if got.SHA256 != "" || got.Size != int64(len("third, from a browser")) {
		t.Fatalf("after presigned overwrite stat = %+v, want size %d and no sha256", got, len("third, from a browser"))
	}
}

func contractList(t *testing.T, open opener) {
	st := open(t, withPartSize(5<<20))
	ctx := ctxFor(t)
	for _, k := range []string{"r1/c1/a", "r1/c1/b", "r1/c2/a", "r2/x"} {
		mustPut(t, st, k, "data of "+k)
	}
	// A staged (multipart) Put must leave no staging object behind.
	if _, err := st.Put(ctx, "r1/c2/big", content(7, 6<<20), 6<<20, ""); err != nil {
		t.Fatalf("put big: %v", err)
	}
	keys := func(prefix string) []string {
		t.Helper()
		infos, err := st.List(ctx, prefix)
		if err != nil {
			t.Fatalf("list %q: %v", prefix, err)
		}
		var out []string
		for _, in := range infos {
			if in.Size <= 0 || in.ETag == "" || in.LastModified.IsZero() {
				t.Fatalf("list %q: incomplete info %+v", prefix, in)
			}
			out = append(out, in.Key)
		}
		return out
	}
	for prefix, want := range map[string][]string{
		"":       {"r1/c1/a", "r1/c1/b", "r1/c2/a", "r1/c2/big", "r2/x"},
		"r1/":    {"r1/c1/a", "r1/c1/b", "r1/c2/a", "r1/c2/big"},
		"r1/c1/": {"r1/c1/a", "r1/c1/b"},
		"r3/":    nil,
	} {
		if got := keys(prefix); !slices.Equal(got, want) {
			t.Errorf("list %q = %v, want %v", prefix, got, want)
		}
	}
}

func contractSizeMismatch(t *testing.T, open opener) {
	const mib = 1 << 20
	st := open(t, withPartSize(5*mib))
	ctx := ctxFor(t)
	for _, tc := range []struct {
		name     string
		declared int64
		actual   int64
	}{
		{"short/single", 1000, 999},
		{"long/single", 1000, 1001},
		{"short/staged", 6 * mib, 6*mib - 1},
		{"long/staged", 6 * mib, 6*mib + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := "mismatch/" + strings.ReplaceAll(tc.name, "/", "-")
			if _, err := st.Put(ctx, key, content(3, tc.actual), tc.declared, ""); err == nil {
				t.Fatalf("put of %d bytes declared as %d succeeded", tc.actual, tc.declared)
			}
			_, err := st.Stat(ctx, key)
			wantNotFound(t, err, "stat after failed put")
		})
	}
	t.Run("reader error", func(t *testing.T) {
		r := io.MultiReader(content(4, 100), iotest.ErrReader(errors.New("disk gone")))
		if _, err := st.Put(ctx, "mismatch/err", r, 1000, ""); err == nil {
			t.Fatalf("put from a failing reader succeeded")
		}
		_, err := st.Stat(ctx, "mismatch/err")
		wantNotFound(t, err, "stat after failed put")
	})
	if infos, err := st.List(ctx, ""); err != nil || len(infos) != 0 {
		t.Fatalf("after failed puts list = %v, %v; want nothing", infos, err)
	}
}

func contractInvalidKeys(t *testing.T, open opener) {
	st := open(t, nil)
	ctx := ctxFor(t)
	for _, key := range []string{"", "/abs", "a//b", "a/../b", "./a", "dir/", ".incoming/x", `a\b`, "a\x00b", "bad\xffutf8"} {
		if _, err := st.Put(ctx, key, strings.NewReader("x"), 1, ""); err == nil {
			t.Errorf("put %q succeeded", key)
		}
		if _, err := st.Stat(ctx, key); err == nil || errors.Is(err, blob.ErrNotFound) {
			t.Errorf("stat %q: got %v, want a key error", key, err)
		}
	}
	if _, err := st.Put(ctx, "k", strings.NewReader(""), -1, ""); err == nil {
		t.Errorf("put with unknown size succeeded")
	}
}

func contractPresignPut(t *testing.T, open opener) {
	st := open(t, nil)
	ctx := ctxFor(t)
	body := "uploaded straight from the browser 材料"
	u, hdr, err := st.PresignPut(ctx, "up/browser.txt", time.Minute, int64(len(body)), "text/plain; charset=utf-8")
	if err != nil {
		t.Fatalf("presign put: %v", err)
	}
	if got := u.Query().Get("X-Amz-SignedHeaders"); got != "content-length;content-type;host" {
		t.Fatalf("X-Amz-SignedHeaders = %q, want the length and type signed", got)
	}
	if hdr.Get("Content-Length") != strconv.Itoa(len(body)) || hdr.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("headers to send: %v", hdr)
	}

	// The store refuses what the signature does not cover: nothing is stored.
	with := func(k, v string) http.Header {
		h := hdr.Clone()
		h.Set(k, v)
		return h
	}
	for _, c := range []struct {
		name   string
		body   io.Reader
		header http.Header
	}{
		{"a larger body", strings.NewReader(body + "and a payload more"), hdr},
		{"a shorter body", strings.NewReader(body[:10]), hdr},
		{"another content type", strings.NewReader(body), with("Content-Type", "text/html")},
		{"no content type", strings.NewReader(body), with("Content-Type", "")},
		{"a body of unknown length (chunked)", io.MultiReader(strings.NewReader(body)), hdr},
	} {
		t.Run(c.name, func(t *testing.T) {
			header := c.header.Clone()
			header.Del("Content-Length") // net/http frames the body itself
			if header.Get("Content-Type") == "" {
				header.Del("Content-Type")
			}
			resp, msg := httpDo(t, http.MethodPut, u.String(), c.body, header)
			if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("presigned put of %s: %s %s, want 403 or 400", c.name, resp.Status, msg)
			}
			if c.name != "a body of unknown length (chunked)" && resp.StatusCode == http.StatusForbidden && !strings.Contains(msg, "SignatureDoesNotMatch") {
				t.Errorf("refused with %q, want SignatureDoesNotMatch", msg)
			}
			if _, err := st.Stat(ctx, "up/browser.txt"); !errors.Is(err, blob.ErrNotFound) {
				t.Fatalf("after a refused PUT: stat %v, want not found", err)
			}
		})
	}

	header := hdr.Clone()
	header.Del("Content-Length")
	resp, msg := httpDo(t, http.MethodPut, u.String(), strings.NewReader(body), header)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("presigned put: %s: %s", resp.Status, msg)
	}
	got, info := readAll(t, st, "up/browser.txt")
	if got != body || info.Size != int64(len(body)) || info.ContentType != "text/plain; charset=utf-8" {
		t.Fatalf("read back %q (%+v), want %q", got, info, body)
	}
	if info.SHA256 != "" {
		t.Fatalf("presigned upload has sha256 %s; only Put records one", info.SHA256)
	}
	if _, _, err := st.PresignPut(ctx, "up/x", time.Minute, -1, ""); err == nil {
		t.Errorf("presign put of unknown size succeeded")
	}
}

func contractPresignGet(t *testing.T, open opener) {
	st := open(t, nil)
	ctx := ctxFor(t)
	const body = "the business plan"
	mustPut(t, st, "dl/plan", body)
	name := `商业计划书 "v2" 100%/final.pdf`
	u, err := st.PresignGet(ctx, "dl/plan", time.Minute, name)
	if err != nil {
		t.Fatalf("presign get: %v", err)
	}
	if got := u.Query().Get("X-Amz-Expires"); got != "60" {
		t.Fatalf("X-Amz-Expires = %s, want 60", got)
	}
	resp, got := httpDo(t, http.MethodGet, u.String(), nil, nil)
	if resp.StatusCode != http.StatusOK || got != body {
		t.Fatalf("presigned get: %s %q, want 200 %q", resp.Status, got, body)
	}
	wantCD := `attachment; filename="_____ _v2_ 100__final.pdf"; filename*=UTF-8''%E5%95%86%E4%B8%9A%E8%AE%A1%E5%88%92%E4%B9%A6%20%22v2%22%20100%25_final.pdf`
	if cd := resp.Header.Get("Content-Disposition"); cd != wantCD {
		t.Fatalf("Content-Disposition = %q, want %q", cd, wantCD)
	}
}

func contractPresignTTLCapped(t *testing.T, open opener) {
	st := open(t, nil)
	ctx := ctxFor(t)
	mustPut(t, st, "ttl/doc", "x")
	g, err := st.PresignGet(ctx, "ttl/doc", 24*time.Hour, "doc.txt")
	if err != nil {
		t.Fatalf("presign get: %v", err)
	}
	p, _, err := st.PresignPut(ctx, "ttl/doc", 24*time.Hour, 1, "")
	if err != nil {
		t.Fatalf("presign put: %v", err)
	}
	for _, u := range []*url.URL{g, p} {
		if got := u.Query().Get("X-Amz-Expires"); got != "900" {
			t.Errorf("X-Amz-Expires = %s, want 900 (15 min cap)", got)
		}
	}
	if _, err := st.PresignGet(ctx, "ttl/doc", 0, ""); err == nil {
		t.Errorf("presign with zero ttl succeeded")
	}
}

func contractPresignedGetExpires(t *testing.T, open opener, later clock) {
	var st *blob.Store
	var pass func(time.Duration)
	if later != nil {
		st, pass = later(t)
	} else {
		st = open(t, nil)
	}
	ctx := ctxFor(t)
	mustPut(t, st, "exp/doc", "short-lived")
	u, err := st.PresignGet(ctx, "exp/doc", time.Second, "")
	if err != nil {
		t.Fatalf("presign get: %v", err)
	}
	get := func() (refused bool) {
		t.Helper()
		resp, msg := httpDo(t, http.MethodGet, u.String(), nil, nil)
		if resp.StatusCode == http.StatusForbidden {
			if !strings.Contains(msg, "AccessDenied") {
				t.Fatalf("expired URL refused with %q, want AccessDenied", msg)
			}
			return true
		}
		if resp.StatusCode != http.StatusOK || msg != "short-lived" {
			t.Fatalf("before expiry: %s %q", resp.Status, msg)
		}
		return false
	}
	if pass != nil {
		if get() {
			t.Fatal("a 1s presigned URL was refused at once")
		}
		pass(2 * time.Second)
		if !get() {
			t.Fatal("a 1s presigned URL still works 2s later")
		}
		return
	}
	// An outside S3 server's clock cannot be moved: poll the real one
	// (expiry has one-second granularity) until the URL is refused.
	testkit.Eventually(t, "a 1s presigned URL to be refused", get, testkit.Within(15*time.Second))
}

func contractForgedSignature(t *testing.T, open opener) {
	st := open(t, nil)
	ctx := ctxFor(t)
	mustPut(t, st, "sig/mine", "mine")
	mustPut(t, st, "sig/theirs", "theirs")
	u, err := st.PresignGet(ctx, "sig/mine", time.Minute, "")
	if err != nil {
		t.Fatalf("presign get: %v", err)
	}
	if resp, _ := httpDo(t, http.MethodGet, u.String(), nil, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("genuine URL: %s", resp.Status)
	}
	forge := func(f func(u *url.URL, q url.Values)) string {
		c := *u
		q := c.Query()
		f(&c, q)
		c.RawQuery = q.Encode()
		return c.String()
	}
	for name, forged := range map[string]string{
		"flipped signature": forge(func(_ *url.URL, q url.Values) {
			s := []byte(q.Get("X-Amz-Signature"))
			if s[0] == '0' {
				s[0] = '1'
			} else {
				s[0] = '0'
			}
			q.Set("X-Amz-Signature", string(s))
		}),
		"other key": forge(func(c *url.URL, _ url.Values) {
			c.Path = strings.Replace(c.Path, "sig/mine", "sig/theirs", 1)
			c.RawPath = ""
		}),
		"longer expiry": forge(func(_ *url.URL, q url.Values) { q.Set("X-Amz-Expires", "600") }),
		"no signature":  forge(func(_ *url.URL, q url.Values) { q.Del("X-Amz-Signature") }),
	} {
		resp, msg := httpDo(t, http.MethodGet, forged, nil, nil)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %s %q, want 403", name, resp.Status, msg)
		}
		if msg == "theirs" {
			t.Errorf("%s: leaked the other object", name)
		}
	}
}

func contractReady(t *testing.T, open opener) {
	st := open(t, nil)
	if err := st.Ready(ctxFor(t)); err != nil {
		t.Fatalf("ready: %v", err)
	}
}

func contractConcurrent(t *testing.T, open opener) {
	const mib = 1 << 20
	st := open(t, withPartSize(5*mib))
	ctx := ctxFor(t)
	sizes := []int64{0, 1, 64 << 10, mib, 6 * mib, 6*mib + 7} // last two are staged
	var wg sync.WaitGroup
	for i, size := range sizes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := "par/" + strconv.Itoa(i)
			if _, err := st.Put(ctx, key, content(uint64(100+i), size), size, ""); err != nil {
				t.Errorf("put %s: %v", key, err)
			}
		}()
	}
	wg.Wait()
	for i, size := range sizes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := "par/" + strconv.Itoa(i)
			want, _ := digestOf(t, content(uint64(100+i), size))
			rc, _, err := st.Get(ctx, key)
			if err != nil {
				t.Errorf("get %s: %v", key, err)
				return
			}
			defer func() { _ = rc.Close() }()
			h := sha256Hex{}
			n, err := io.Copy(&h, rc)
			if err != nil || n != size || h.sum() != want {
				t.Errorf("read %s: %d bytes, %v, sha256 %s; want %d bytes %s", key, n, err, h.sum(), size, want)
			}
		}()
	}
	wg.Wait()
}

// A reader sees one whole version or the other, never a mix, while the
// key is overwritten under it.
func contractOverwriteWhileReading(t *testing.T, open opener) {
	st := open(t, nil)
	ctx := ctxFor(t)
	const size = 1 << 20
	versions := map[string]bool{}
	for seed := uint64(1); seed <= 2; seed++ {
		d, _ := digestOf(t, content(seed, size))
		versions[d] = true
	}
	if _, err := st.Put(ctx, "ow/doc", content(1, size), size, ""); err != nil {
		t.Fatalf("put: %v", err)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	for r := 0; r < 3; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for reads := 0; ; reads++ {
				select {
				case <-done:
					if reads == 0 {
						t.Errorf("reader never read")
					}
					return
				default:
				}
				rc, _, err := st.Get(ctx, "ow/doc")
				if err != nil {
					t.Errorf("get: %v", err)
					return
				}
				h := sha256Hex{}
				_, err = io.Copy(&h, rc)
				_ = rc.Close()
				if err != nil || !versions[h.sum()] {
					t.Errorf("read a version that was never written (sha256 %s): %v", h.sum(), err)
					return
				}
			}
		}()
	}
	for i := 0; i < 20; i++ {
		seed := uint64(i%2 + 1)
		if _, err := st.Put(ctx, "ow/doc", content(seed, size), size, ""); err != nil {
			t.Errorf("overwrite %d: %v", i, err)
			break
		}
	}
	close(done)
	wg.Wait()
}
