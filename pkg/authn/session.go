package authn

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/pkg/events"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the sessions table in the gateway's database.
var Migrations = db.Migrations{Component: "authn", FS: mustSub(migrationFiles, "migrations")}

func mustSub(fsys embed.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		// Unreachable: dir is a literal matched by the go:embed pattern.
		return fsys
	}
	return sub
}

const (
	tokenBytes = 32 // 256 bits from crypto/rand, so guessing is hopeless
	// Longest token accepted from a client; real ones are 43 characters.
	maxTokenLen = 256
	// A session's last_seen_at is written at most this often, so that busy
	// sessions do not turn every request into a database write.
	lastSeenResolution = time.Minute
	maxUserAgentBytes  = 512
	maxIPBytes         = 64
)

// Session is one login. Token and CSRFToken are only set by Create: the
// database keeps nothing but their hashes, so they cannot be read back.
type Session struct {
	ID        string
	UserID    string
	CSRFToken string // only on Create
	Token     string // only on Create
	ExpiresAt time.Time

	csrfHash string // set by Lookup so CheckCSRF needs no query
}

// sessionRow is the sessions table.
type sessionRow struct {
	bun.BaseModel `bun:"table:sessions"`

	ID         string     `bun:"id,pk"`
	UserID     string     `bun:"user_id"`
	TokenHash  string     `bun:"token_hash"`
	CSRFHash   string     `bun:"csrf_hash,nullzero"`
	CreatedAt  time.Time  `bun:"created_at"`
	LastSeenAt time.Time  `bun:"last_seen_at"`
	ExpiresAt  time.Time  `bun:"expires_at"`
	RevokedAt  *time.Time `bun:"revoked_at"`
	UserAgent  string     `bun:"user_agent"`
	IP         string     `bun:"ip"`
}

// Sessions stores logins in the gateway's database. The session lifetime is
// absolute: a session expires ttl after Create however active it is, which
// matches the cookie's expiry set by SetSessionCookies; last_seen_at records
// activity for display and auditing.
type Sessions struct {
	db    *bun.DB
	ttl   time.Duration
	now   func() time.Time
	cache *sessionCache // nil: every Lookup reads the database
}

// NewSessions returns the session store over bdb (migrated with
// Migrations); sessions live for ttl.
func NewSessions(bdb *bun.DB, ttl time.Duration) *Sessions {
	return &Sessions{db: bdb, ttl: ttl, now: time.Now}
}

// Create starts a session for userID and returns it with its token and CSRF
// token, both 32 random bytes in base64url.
func (s *Sessions) Create(ctx context.Context, userID, userAgent, ip string) (Session, error) {
	if userID == "" {
		return Session{}, fmt.Errorf("create session: empty user id")
	}
	if s.ttl <= 0 {
		return Session{}, fmt.Errorf("create session: ttl %s is not positive", s.ttl)
	}
	token, err := randomToken()
	if err != nil {
		return Session{}, fmt.Errorf("create session for %s: %w", userID, err)
	}
	csrf, err := randomToken()
	if err != nil {
		return Session{}, fmt.Errorf("create session for %s: %w", userID, err)
	}
	// Both databases keep microseconds; truncating here makes the returned
	// ExpiresAt equal to what Lookup will read back.
	now := s.now().UTC().Truncate(time.Microsecond)
	row := sessionRow{
		ID:         events.NewID(),
		UserID:     userID,
		TokenHash:  hashToken(token),
		CSRFHash:   hashToken(csrf),
		CreatedAt:  now,
		LastSeenAt: now,
		ExpiresAt:  now.Add(s.ttl).Truncate(time.Microsecond),
		UserAgent:  cleanText(userAgent, maxUserAgentBytes),
		IP:         cleanText(ip, maxIPBytes),
	}
	if _, err := s.db.NewInsert().Model(&row).Exec(ctx); err != nil {
		return Session{}, fmt.Errorf("create session for %s: %w", userID, err)
	}
	return Session{
		ID:        row.ID,
		UserID:    userID,
		CSRFToken: csrf,
		Token:     token,
		ExpiresAt: row.ExpiresAt,
		csrfHash:  row.CSRFHash,
	}, nil
}

// Lookup returns the live session for token. An unknown or revoked token is
// apperr.Unauthenticated "invalid-session"; an expired one is
// apperr.Unauthenticated "session-expired". It records the activity in
// last_seen_at (at most once a minute). The returned Session has no Token
// or CSRFToken.
func (s *Sessions) Lookup(ctx context.Context, token string) (Session, error) {
	invalid := apperr.New(apperr.Unauthenticated, "invalid-session")
	if token == "" || len(token) > maxTokenLen {
		return Session{}, invalid
	}
	hash := hashToken(token)
	var gen uint64
	if s.cache != nil {
		gen = s.cache.generation()
		if sess, ok := s.cache.get(hash, s.now().UTC()); ok {
			if !s.now().UTC().Before(sess.ExpiresAt) {
				return Session{}, apperr.New(apperr.Unauthenticated, "session-expired")
			}
			return sess, nil
		}
	}
	var row sessionRow
	err := s.db.NewSelect().Model(&row).Where("token_hash = ?", hash).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, invalid
	}
	if err != nil {
		return Session{}, fmt.Errorf("look up session: %w", err)
	}
	now := s.now().UTC()
	if row.RevokedAt != nil {
		return Session{}, invalid
	}
	if !now.Before(row.ExpiresAt) {
		return Session{}, apperr.New(apperr.Unauthenticated, "session-expired")
	}
	if now.Sub(row.LastSeenAt) >= lastSeenResolution {
		if _, err := s.db.NewUpdate().Model((*sessionRow)(nil)).
			Set("last_seen_at = ?", now).
			Where("id = ?", row.ID).
			Exec(ctx); err != nil {
			return Session{}, fmt.Errorf("touch session %s: %w", row.ID, err)
		}
	}
	sess := Session{ID: row.ID, UserID: row.UserID, ExpiresAt: row.ExpiresAt.UTC(), csrfHash: row.CSRFHash}
	if s.cache != nil {
		s.cache.put(hash, sess, now, gen)
	}
	return sess, nil
}

// CheckCSRF reports whether csrfToken is the CSRF token of sess, comparing
// hashes in constant time. sess comes from Lookup or Create; a Session
// built by hand is checked against the database by its ID.
func (s *Sessions) CheckCSRF(ctx context.Context, sess Session, csrfToken string) bool {
	if csrfToken == "" || len(csrfToken) > maxTokenLen {
		return false
	}
	want := sess.csrfHash
	if want == "" {
		if sess.ID == "" {
			return false
		}
		var row sessionRow
		if err := s.db.NewSelect().Model(&row).Column("csrf_hash").Where("id = ?", sess.ID).Limit(1).Scan(ctx); err != nil {
			return false
		}
		want = row.CSRFHash
	}
	if want == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(hashToken(csrfToken)), []byte(want)) == 1
}

// Revoke ends the session of token (logout). Revoking an unknown or already
// revoked token is not an error, so logout is idempotent.
func (s *Sessions) Revoke(ctx context.Context, token string) error {
	if token == "" || len(token) > maxTokenLen {
		return nil
	}
	if s.cache != nil {
		s.cache.forget(hashToken(token))
	}
	if _, err := s.db.NewUpdate().Model((*sessionRow)(nil)).
		Set("revoked_at = ?", s.now().UTC()).
		Where("token_hash = ?", hashToken(token)).
		Where("revoked_at IS NULL").
		Exec(ctx); err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	if s.cache != nil {
		// Again after the commit: a Lookup that read the row between the
		// first forget and the update is not cached either.
		s.cache.forget(hashToken(token))
	}
	return nil
}

// RevokeAllForUser ends every session of userID, e.g. after a password
// change or when an account is disabled.
func (s *Sessions) RevokeAllForUser(ctx context.Context, userID string) error {
	if s.cache != nil {
		s.cache.forgetUser(userID)
	}
	if _, err := s.db.NewUpdate().Model((*sessionRow)(nil)).
		Set("revoked_at = ?", s.now().UTC()).
		Where("user_id = ?", userID).
		Where("revoked_at IS NULL").
		Exec(ctx); err != nil {
		return fmt.Errorf("revoke sessions of user %s: %w", userID, err)
	}
	if s.cache != nil {
		s.cache.forgetUser(userID)
	}
	return nil
}

// DeleteExpired removes sessions that expired before the given time and
// returns how many; the gateway runs it periodically so the table does not
// grow without bound. Revoked sessions stay until they expire, for auditing.
func (s *Sessions) DeleteExpired(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.NewDelete().Model((*sessionRow)(nil)).
		Where("expires_at < ?", before.UTC()).
		Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return n, nil
}

func randomToken() (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("read random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// hashToken is the stored form of a token: hex SHA-256. Tokens carry 256
// bits of entropy, so a fast unsalted hash is enough to make a leaked table
// useless for logging in.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// cleanText makes client-supplied text storable on both databases:
// PostgreSQL rejects invalid UTF-8 and bun rejects NUL bytes. It cuts at max
// bytes without splitting a character.
func cleanText(s string, max int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	if len(s) <= max {
		return s
	}
	s = s[:max]
	for len(s) > 0 {
		r, size := utf8.DecodeLastRuneInString(s)
		if r != utf8.RuneError || size != 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}
