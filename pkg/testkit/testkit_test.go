package testkit_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/authn"
	"github.com/incuchain/incuchain/pkg/testkit"
)

// The client signs the identity as the gateway does: the service's
// authn.Verify reads the user back; anonymous requests carry none.
func TestClientSignsTheIdentity(t *testing.T) {
	signer, err := authn.NewSigner([]byte("test-secret-test-secret-test-secret!"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		who := "anonymous"
		if h := r.Header.Get(authn.HeaderIdentity); h != "" {
			id, err := signer.Verify(h, time.Now())
			if err != nil {
				http.Error(w, err.Error(), http.StatusUnauthorized)
				return
			}
			who = id.UserID
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"who":%q,"method":%q,"content_type":%q,"lang":%q,"body":%q,"errors":[{"field":"name","code":"required"},{"field":"kind","code":"one_of"}]}`,
			who, r.Method, r.Header.Get("Content-Type"), r.Header.Get("Accept-Language"), body)
	}))
	defer srv.Close()
	c := testkit.NewClient(t, srv.URL, signer, map[string]string{"founder@lixia.demo": "01USER"})

	for _, tt := range []struct {
		as   string
		body any
		who  string
		sent string
	}{
		{"founder@lixia.demo", map[string]any{"name": "王"}, "01USER", `{"name":"王"}`},
		{"", `{"raw":true}`, "anonymous", `{"raw":true}`},
		{"", []byte("bytes"), "anonymous", "bytes"},
		{"", nil, "anonymous", ""},
	} {
		r := c.Do(tt.as, "POST", "/x", tt.body, "Accept-Language", "en")
		got := r.JSON(t)
		if r.Status != 200 || got["who"] != tt.who || got["method"] != "POST" || got["content_type"] != "application/json" ||
			got["lang"] != "en" || got["body"] != tt.sent {
			t.Errorf("as %q with %v: %d %v", tt.as, tt.body, r.Status, got)
		}
		if codes := r.FieldCodes(t); !reflect.DeepEqual(codes, []string{"name:required", "kind:one_of"}) {
			t.Errorf("field codes %v", codes)
		}
	}
	raw := c.Send(c.Request("founder@lixia.demo", "PUT", "/y", strings.NewReader("%PDF"), "Content-Type", "application/pdf"))
	var got struct {
		Who         string `json:"who"`
		ContentType string `json:"content_type"`
	}
	raw.Decode(t, &got)
	if got.Who != "01USER" || got.ContentType != "application/pdf" {
		t.Errorf("raw request: %+v", got)
	}
}

// Eventually returns as soon as the condition holds, polling meanwhile.
func TestEventuallyPollsUntilTheConditionHolds(t *testing.T) {
	var calls atomic.Int32
	start := time.Now()
	testkit.Eventually(t, "the third call", func() bool { return calls.Add(1) >= 3 })
	if calls.Load() != 3 {
		t.Errorf("cond called %d times, want 3", calls.Load())
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("took %s", time.Since(start))
	}
}

// A condition that never holds fails the test at the deadline, naming
// what it waited for.
func TestEventuallyFailsAtTheDeadline(t *testing.T) {
	rec := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		testkit.Eventually(rec, "nothing", func() bool { return false }, testkit.Within(100*time.Millisecond))
	}()
	<-done
	if !strings.Contains(rec.fatal, "timed out after 100ms waiting for nothing") {
		t.Errorf("failure %q", rec.fatal)
	}
}

// recorder keeps a Fatalf instead of failing the outer test.
type recorder struct {
	testing.TB
	fatal string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit() // as t.FailNow ends the test's goroutine
}
