// Package linkseal seals a secret (an invitation's acceptance link) for
// the one service that must read it, so that it can travel in an event on
// a bus every service may consume: XChaCha20-Poly1305 under a key only the
// sealing and the opening service hold. Each sealed value is bound to its
// purpose (the invitation's id), so it cannot be moved onto another event.
package linkseal

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
)

// version prefixes every sealed value, so a later scheme can be told apart.
const version = "v1."

// ErrRefused is returned for a sealed value that this key did not seal
// for this purpose (tampered, foreign key, or moved to another event).
var ErrRefused = errors.New("linkseal: sealed value refused")

// Key seals and opens values.
type Key struct{ aead cipher.AEAD }

// ParseKey reads a key written as 64 hexadecimal digits (32 bytes).
func ParseKey(s string) (*Key, error) {
	raw, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(raw) != chacha20poly1305.KeySize {
		return nil, fmt.Errorf("linkseal: a key is %d bytes written as %d hex digits", chacha20poly1305.KeySize, 2*chacha20poly1305.KeySize)
	}
	aead, err := chacha20poly1305.NewX(raw)
	if err != nil {
		return nil, fmt.Errorf("linkseal: %w", err)
	}
	return &Key{aead: aead}, nil
}

// NewKeyText returns a fresh random key as ParseKey reads it.
func NewKeyText() (string, error) {
	raw := make([]byte, chacha20poly1305.KeySize)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("linkseal: new key: %w", err)
	}
	return hex.EncodeToString(raw), nil
}

// LoadOrCreate reads the key kept in path, creating it (mode 0600) with a
// fresh random key the first time.
func LoadOrCreate(path string) (*Key, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		text, err := NewKeyText()
		if err != nil {
			return nil, err
		}
		if err := writeNew(path, text+"\n"); err != nil {
			return nil, err
		}
		b = []byte(text)
	} else if err != nil {
		return nil, fmt.Errorf("linkseal: read key: %w", err)
	}
	k, err := ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// writeNew writes text to path through a temporary file, so a crash never
// leaves half a key; a key another process wrote first wins.
func writeNew(path, text string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("linkseal: key directory: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".linkseal-*") // mode 0600
	if err != nil {
		return fmt.Errorf("linkseal: write key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(text); err != nil {
		tmp.Close()
		return fmt.Errorf("linkseal: write key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("linkseal: write key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("linkseal: write key: %w", err)
	}
	return nil
}

// Seal seals secret for purpose (e.g. "parks.invitation.created:<id>").
func (k *Key) Seal(secret, purpose string) (string, error) {
	nonce := make([]byte, k.aead.NonceSize(), k.aead.NonceSize()+len(secret)+k.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("linkseal: nonce: %w", err)
	}
	return version + base64.RawURLEncoding.EncodeToString(k.aead.Seal(nonce, nonce, []byte(secret), []byte(purpose))), nil
}

// Open returns the secret sealed for purpose, or ErrRefused.
func (k *Key) Open(sealed, purpose string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, version)
	if !ok {
		return "", ErrRefused
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(raw) < k.aead.NonceSize()+k.aead.Overhead() {
		return "", ErrRefused
	}
	n := k.aead.NonceSize()
	plain, err := k.aead.Open(nil, raw[:n], raw[n:], []byte(purpose))
	if err != nil {
		return "", ErrRefused
	}
	return string(plain), nil
}
