package db

import (
	"context"
	"fmt"
	"hash/fnv"

	"github.com/uptrace/bun"
)

// TryLock takes the named lock if no one holds it, for jobs that replicas
// must not run at the same time (a purge, a reconciliation). On PostgreSQL
// it is a session advisory lock held on a connection of its own until
// release, keyed by the name and the connection's schema: replicas of one
// deployment share a schema, while deployments (or test runs) in other
// schemas of the same database never wait for each other. SQLite is one
// process's file, so the lock is always granted. ok is false when another
// holder has it.
func TryLock(ctx context.Context, bdb *bun.DB, name string) (release func(), ok bool, err error) {
	if !IsPostgres(bdb) {
		return func() {}, true, nil
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte("incuchain-lock:" + name))
	key := int32(h.Sum32())
	conn, err := bdb.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("lock %s: %w", name, err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(?, hashtext(current_schema()))", key).Scan(&ok); err != nil || !ok {
		_ = conn.Close()
		if err != nil {
			return nil, false, fmt.Errorf("lock %s: %w", name, err)
		}
		return nil, false, nil
	}
	return func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?, hashtext(current_schema()))", key)
		_ = conn.Close()
	}, true, nil
}
