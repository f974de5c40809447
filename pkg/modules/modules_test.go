package modules_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incuchain/incuchain/pkg/modules"
	"github.com/incuchain/incuchain/pkg/testkit"
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func mustRegister(t *testing.T, m *modules.Manager, mods ...modules.Module) {
	t.Helper()
	for _, mod := range mods {
		if err := m.Register(mod); err != nil {
			t.Fatalf("Register %s: %v", mod.Name, err)
		}
	}
}

// graph: api -> (server, db); server -> (db, bus); worker -> bus.
func graph(t *testing.T) *modules.Manager {
	t.Helper()
	m := modules.New(discard)
	mustRegister(t, m,
		modules.Module{Name: "db"},
		modules.Module{Name: "bus"},
		modules.Module{Name: "server", Deps: []string{"db", "bus"}},
		modules.Module{Name: "api", Deps: []string{"server", "db"}, Public: true},
		modules.Module{Name: "worker", Deps: []string{"bus"}, Public: true},
		modules.Module{Name: "all", Deps: []string{"worker", "api"}, Public: true},
	)
	return m
}

func TestOrder(t *testing.T) {
	m := graph(t)
	tests := []struct {
		targets []string
		want    []string
	}{
		{[]string{"db"}, []string{"db"}},
		{[]string{"api"}, []string{"db", "bus", "server", "api"}},
		{[]string{"worker"}, []string{"bus", "worker"}},
		{[]string{"api", "worker"}, []string{"db", "bus", "server", "api", "worker"}},
		{[]string{"worker", "api", "worker"}, []string{"bus", "worker", "db", "server", "api"}},
		{[]string{"all"}, []string{"db", "bus", "server", "api", "worker", "all"}},
		{nil, nil},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.targets, ","), func(t *testing.T) {
			for range 20 { // map iteration must not leak into the order
				got, err := m.Order(tt.targets...)
				if err != nil {
					t.Fatalf("Order: %v", err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("Order(%v) = %v, want %v", tt.targets, got, tt.want)
				}
			}
		})
	}
}

func TestOrderErrors(t *testing.T) {
	m := modules.New(discard)
	mustRegister(t, m,
		modules.Module{Name: "a", Deps: []string{"b"}},
		modules.Module{Name: "b", Deps: []string{"c"}},
		modules.Module{Name: "c", Deps: []string{"a"}},
		modules.Module{Name: "self", Deps: []string{"self"}},
		modules.Module{Name: "broken", Deps: []string{"ghost"}},
	)
	tests := []struct {
		target string
		want   []string
	}{
		{"a", []string{"dependency cycle", "a"}},
		{"self", []string{"dependency cycle", "self"}},
		{"broken", []string{`unknown module "ghost"`, "broken"}},
		{"nope", []string{`unknown module "nope"`}},
	}
	for _, tt := range tests {
		_, err := m.Order(tt.target)
		if err == nil {
			t.Fatalf("Order(%s) succeeded", tt.target)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Order(%s) = %q, want it to mention %q", tt.target, err, w)
			}
		}
	}
	if err := m.Run(context.Background(), "a"); err == nil || !strings.Contains(err.Error(), "dependency cycle") {
		t.Fatalf("Run on a cycle = %v", err)
	}
}

func TestRegisterTwice(t *testing.T) {
	m := modules.New(discard)
	mustRegister(t, m, modules.Module{Name: "db"})
	if err := m.Register(modules.Module{Name: "db"}); err == nil || !strings.Contains(err.Error(), "db") {
		t.Fatalf("second Register = %v", err)
	}
}

func TestTargets(t *testing.T) {
	if got := graph(t).Targets(); !reflect.DeepEqual(got, []string{"all", "api", "worker"}) {
		t.Fatalf("Targets = %v", got)
	}
	if got := modules.New(discard).Targets(); len(got) != 0 {
		t.Fatalf("empty Targets = %v", got)
	}
}

// recorder builds modules that note their init and the end of their run.
type recorder struct {
	mu      sync.Mutex
	inits   []string
	stopped map[string]error
	started map[string]chan struct{}
}

func newRecorder() *recorder {
	return &recorder{stopped: map[string]error{}, started: map[string]chan struct{}{}}
}

// module returns a component whose service blocks until ctx ends, or
// returns runErr at once if set.
func (r *recorder) module(name string, deps []string, initErr, runErr error) modules.Module {
	started := make(chan struct{})
	r.started[name] = started
	return modules.Module{Name: name, Deps: deps, Init: func(ctx context.Context) (modules.Service, error) {
		r.mu.Lock()
		r.inits = append(r.inits, name)
		r.mu.Unlock()
		if initErr != nil {
			return nil, initErr
		}
		return modules.RunFunc(func(ctx context.Context) error {
			close(started)
			if runErr != nil {
				return runErr
			}
			<-ctx.Done()
			r.mu.Lock()
			r.stopped[name] = ctx.Err()
			r.mu.Unlock()
			return ctx.Err()
		}), nil
	}}
}

func (r *recorder) initOrder() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.inits...)
}

func (r *recorder) wasStopped(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.stopped[name]
	return ok
}

func waitStarted(t *testing.T, ch chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatal("service never started")
	}
}

func runAsync(m *modules.Manager, ctx context.Context, targets ...string) chan error {
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, targets...) }()
	return done
}

func waitRun(t *testing.T, done chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
		return nil
	}
}

func TestRunCancelIsClean(t *testing.T) {
	rec := newRecorder()
	m := modules.New(discard)
	mustRegister(t, m,
		rec.module("db", nil, nil, nil),
		rec.module("bus", nil, nil, nil),
		rec.module("server", []string{"db", "bus"}, nil, nil),
		// A module that only provides values has no service.
		modules.Module{Name: "config"},
		modules.Module{Name: "values", Init: func(context.Context) (modules.Service, error) { return nil, nil }},
		modules.Module{Name: "all", Deps: []string{"server", "config", "values"}, Public: true},
	)
	if err := m.Ready("db"); err == nil {
		t.Fatal("Ready before Run = nil")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := runAsync(m, ctx, "all")
	for _, n := range []string{"db", "bus", "server"} {
		waitStarted(t, rec.started[n])
	}
	if err := m.Ready("db", "bus", "server", "config", "values", "all"); err != nil {
		t.Fatalf("Ready while running: %v", err)
	}
	if err := m.Ready("ghost"); err == nil || !strings.Contains(err.Error(), "ghost") {
		t.Fatalf("Ready(ghost) = %v", err)
	}
	if got := rec.initOrder(); !reflect.DeepEqual(got, []string{"bus", "db", "server"}) {
		t.Fatalf("init order = %v, want dependencies first", got)
	}
	cancel()
	if err := waitRun(t, done); err != nil {
		t.Fatalf("Run after cancel = %v, want nil", err)
	}
	for _, n := range []string{"db", "bus", "server"} {
		if !rec.wasStopped(n) {
			t.Errorf("service %s was not stopped before Run returned", n)
		}
	}
}

// A deadline on the parent context ends the run like a cancel: it is not
// a module failure.
func TestRunDeadlineIsClean(t *testing.T) {
	rec := newRecorder()
	m := modules.New(discard)
	mustRegister(t, m, rec.module("db", nil, nil, nil), rec.module("server", []string{"db"}, nil, nil))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := waitRun(t, runAsync(m, ctx, "server")); err != nil {
		t.Fatalf("Run until the deadline = %v, want nil", err)
	}
	if !rec.wasStopped("db") || !rec.wasStopped("server") {
		t.Fatal("services not stopped")
	}
}

func TestRunInitFailure(t *testing.T) {
	rec := newRecorder()
	errInit := errors.New("cannot open database")
	m := modules.New(discard)
	mustRegister(t, m,
		rec.module("bus", nil, nil, nil),
		rec.module("db", []string{"bus"}, errInit, nil),
		rec.module("server", []string{"db"}, nil, nil),
	)
	err := waitRun(t, runAsync(m, context.Background(), "server"))
	if !errors.Is(err, errInit) || !strings.Contains(err.Error(), "init module db") {
		t.Fatalf("Run = %v, want the init error of db", err)
	}
	if got := rec.initOrder(); !reflect.DeepEqual(got, []string{"bus", "db"}) {
		t.Fatalf("inits = %v; nothing after the failing module may init", got)
	}
	if !rec.wasStopped("bus") {
		t.Fatal("the already running bus service was not stopped")
	}
	if err := m.Ready("db"); err == nil {
		t.Fatal("a module whose init failed reports ready")
	}
}

func TestRunServiceFailureStopsOthers(t *testing.T) {
	rec := newRecorder()
	errCrash := errors.New("consumer crashed")
	m := modules.New(discard)
	gate := make(chan struct{})
	mustRegister(t, m,
		rec.module("db", nil, nil, nil),
		rec.module("server", []string{"db"}, nil, nil),
		modules.Module{Name: "worker", Deps: []string{"server"}, Init: func(context.Context) (modules.Service, error) {
			return modules.RunFunc(func(ctx context.Context) error {
				<-gate
				return errCrash
			}), nil
		}},
	)
	done := runAsync(m, context.Background(), "worker")
	waitStarted(t, rec.started["db"])
	waitStarted(t, rec.started["server"])
	close(gate)
	err := waitRun(t, done)
	if !errors.Is(err, errCrash) || !strings.Contains(err.Error(), "module worker") {
		t.Fatalf("Run = %v, want the worker's error", err)
	}
	for _, n := range []string{"db", "server"} {
		if !rec.wasStopped(n) {
			t.Errorf("service %s kept running after worker failed", n)
		}
	}
}

func TestRunServiceStoppingEarlyIsAFailure(t *testing.T) {
	m := modules.New(discard)
	mustRegister(t, m, modules.Module{Name: "quitter", Init: func(context.Context) (modules.Service, error) {
		return modules.RunFunc(func(context.Context) error { return nil }), nil
	}})
	err := waitRun(t, runAsync(m, context.Background(), "quitter"))
	if err == nil || !strings.Contains(err.Error(), "quitter stopped unexpectedly") {
		t.Fatalf("Run = %v", err)
	}
}

func TestRunUnknownTarget(t *testing.T) {
	if err := modules.New(discard).Run(context.Background(), "nope"); err == nil {
		t.Fatal("Run of an unknown target succeeded")
	}
}

// After orders a module behind others only when they run too: the gateway
// starts after the in-process services, and alone without them.
func TestOrderAfter(t *testing.T) {
	m := modules.New(discard)
	mustRegister(t, m,
		modules.Module{Name: "signer"},
		modules.Module{Name: "parks-core", Deps: []string{"signer"}},
		modules.Module{Name: "gateway", Deps: []string{"signer"}, After: []string{"parks-core"}, Public: true},
		modules.Module{Name: "parks", Deps: []string{"parks-core"}, Public: true},
		modules.Module{Name: "all", Deps: []string{"gateway", "parks-core"}, Public: true},
		modules.Module{Name: "loop", After: []string{"loop"}},
	)
	for _, tt := range []struct {
		target string
		want   []string
	}{
		{"gateway", []string{"signer", "gateway"}},
		{"parks", []string{"signer", "parks-core", "parks"}},
		{"all", []string{"signer", "parks-core", "gateway", "all"}},
	} {
		got, err := m.Order(tt.target)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Order(%s) = %v, %v; want %v", tt.target, got, err, tt.want)
		}
	}
	if _, err := m.Order("loop"); err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Errorf("a module after itself: %v", err)
	}
}

// Status follows each module of the run: waiting, running, failed with
// its reason, stopped; Ready names the state of the first one not up.
func TestStatusFollowsTheRun(t *testing.T) {
	m := modules.New(discard)
	errCrash := errors.New("bucket unreachable")
	gate, inInit := make(chan struct{}), make(chan struct{})
	crash := make(chan struct{})
	mustRegister(t, m,
		modules.Module{Name: "db", Init: func(context.Context) (modules.Service, error) {
			return modules.RunFunc(func(ctx context.Context) error {
				select {
				case <-crash:
					return errCrash
				case <-ctx.Done():
					return ctx.Err()
				}
			}), nil
		}},
		modules.Module{Name: "server", Deps: []string{"db"}, Init: func(context.Context) (modules.Service, error) {
			close(inInit)
			<-gate
			return nil, nil
		}},
		modules.Module{Name: "all", Deps: []string{"server"}, Public: true},
	)
	done := runAsync(m, context.Background(), "all")
	<-inInit
	if s := m.Status("server"); s.State != modules.Starting {
		t.Errorf("server during Init: %+v", s)
	}
	if err := m.Ready("db", "server"); err == nil || err.Error() != "server: starting" {
		t.Errorf("Ready during server's Init = %v", err)
	}
	if s := m.Status("all"); s.State != modules.Waiting {
		t.Errorf("all before its dependencies: %+v", s)
	}
	close(gate)
	testkit.Eventually(t, "all to run", func() bool { return m.Status("all").State == modules.Running })
	if err := m.Ready("db", "server", "all"); err != nil {
		t.Errorf("Ready while running: %v", err)
	}
	close(crash)
	if err := waitRun(t, done); !errors.Is(err, errCrash) {
		t.Fatalf("Run = %v", err)
	}
	if s := m.Status("db"); s.State != modules.Failed || s.Reason != "bucket unreachable" {
		t.Errorf("db after its crash: %+v", s)
	}
	if err := m.Ready("db"); err == nil || err.Error() != "db: failed: bucket unreachable" {
		t.Errorf("Ready after the crash = %v", err)
	}
}
