package platform

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// S3CredentialsFile is where the in-process S3 store keeps the keys it
// generated at first start, under DATA_DIR (mode 0600). Its lines are
// INCUCHAIN_S3_ACCESS_KEY=… and INCUCHAIN_S3_SECRET_KEY=…, so a tool that
// needs the store (mc, aws) can source it.
const S3CredentialsFile = "s3-credentials.env"

// insecureS3Keys reports keys anyone can sign with: the pair earlier
// releases shipped as defaults, MinIO's own default, and the placeholders
// of deploy/config/example.env. The store behind them holds every company's
// materials, and the in-process one listens on a TCP port any local
// process can reach.
func insecureS3Keys(access, secret string) bool {
	s := strings.ToLower(secret)
	switch {
	case access == "incuchain" && secret == "incuchain-secret",
		s == "incuchain-secret", s == "minioadmin",
		strings.HasPrefix(s, "change-me"), strings.HasPrefix(s, "changeme"),
		strings.HasPrefix(strings.ToLower(access), "change-me"):
		return true
	}
	return false
}

// s3Keys returns the keys to reach (or start) the object store with:
// the configured ones, refused when anyone could sign with them unless
// DEV_INSECURE_DEFAULTS is set; with the in-process store and none
// configured, the ones generated at its first start.
func s3Keys(cfg Config) (access, secret string, err error) {
	access, secret = cfg.S3AccessKey, cfg.S3SecretKey
	if (access == "") != (secret == "") {
		return "", "", errors.New("INCUCHAIN_S3_ACCESS_KEY and INCUCHAIN_S3_SECRET_KEY go together: set both, or (with the in-process store) neither")
	}
	if access != "" {
		if insecureS3Keys(access, secret) && !cfg.DevInsecureDefaults {
			instead := "set the keys of your S3/MinIO store (e.g. INCUCHAIN_S3_SECRET_KEY=$(openssl rand -hex 20))"
			if cfg.S3Endpoint == "" {
				instead = "leave both empty to have the in-process store generate its own (kept in DATA_DIR/" + S3CredentialsFile + "), or set keys of your own"
			}
			return "", "", fmt.Errorf("INCUCHAIN_S3_ACCESS_KEY/INCUCHAIN_S3_SECRET_KEY are published defaults or placeholders that anyone "+
				"can sign requests with, for every company's materials: %s; on a development machine only, "+
				"INCUCHAIN_DEV_INSECURE_DEFAULTS=true accepts them", instead)
		}
		return access, secret, nil
	}
	if cfg.S3Endpoint != "" {
		return "", "", fmt.Errorf("INCUCHAIN_S3_ACCESS_KEY and INCUCHAIN_S3_SECRET_KEY are required with INCUCHAIN_S3_ENDPOINT (%s): set the keys of that store", cfg.S3Endpoint)
	}
	return embeddedS3Keys(cfg.DataDir)
}

// embeddedS3Keys reads the in-process store's keys from the data
// directory, generating them at first start. A file others may read is
// refused: the keys in it must be taken as known.
func embeddedS3Keys(dataDir string) (access, secret string, err error) {
	path := filepath.Join(dataDir, S3CredentialsFile)
	for range 2 {
		access, secret, err = readS3Credentials(path)
		if !errors.Is(err, fs.ErrNotExist) {
			return access, secret, err
		}
		if err = writeS3Credentials(dataDir, path); err != nil && !errors.Is(err, fs.ErrExist) {
			return "", "", err
		}
		// Written, or another process sharing the directory was first: read it.
	}
	return "", "", fmt.Errorf("S3 credentials %s: could not be created", path)
}

func readS3Credentials(path string) (access, secret string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", "", err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return "", "", fmt.Errorf("S3 credentials %s can be read by others (mode %04o): delete it to have new keys generated, "+
			"or chmod 600 it if nobody else can have read it", path, st.Mode().Perm())
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		switch k {
		case "INCUCHAIN_S3_ACCESS_KEY":
			access = v
		case "INCUCHAIN_S3_SECRET_KEY":
			secret = v
		}
	}
	if err := sc.Err(); err != nil {
		return "", "", fmt.Errorf("S3 credentials %s: %w", path, err)
	}
	if access == "" || secret == "" {
		return "", "", fmt.Errorf("S3 credentials %s lack INCUCHAIN_S3_ACCESS_KEY or INCUCHAIN_S3_SECRET_KEY: delete it to have new keys generated", path)
	}
	return access, secret, nil
}

// writeS3Credentials writes new keys to a private temporary file and links
// it into place, so nobody ever reads half a file and a second writer gets
// fs.ErrExist instead of replacing keys in use.
func writeS3Credentials(dataDir, path string) error {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return fmt.Errorf("S3 credentials: %w", err)
	}
	raw := make([]byte, 30)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("S3 credentials: %w", err)
	}
	tmp, err := os.CreateTemp(dataDir, ".s3-credentials-*") // mode 0600
	if err != nil {
		return fmt.Errorf("S3 credentials: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = fmt.Fprintf(tmp, "# Keys of the in-process S3 store, generated at its first start. Keep this file private.\n"+
		"INCUCHAIN_S3_ACCESS_KEY=%s\nINCUCHAIN_S3_SECRET_KEY=%s\n", "incu"+hex.EncodeToString(raw[:8]), hex.EncodeToString(raw[8:]))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o600) // whatever the umask did
	}
	if err != nil {
		return fmt.Errorf("S3 credentials: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		return fmt.Errorf("S3 credentials: %w", err)
	}
	return nil
}
